// The tic-tac-toe app: `createTicTacToe()` returns an http server (not listening yet) and its Switchyard
// Server, with the `/game` namespace served by the class in game-namespace.mjs. The page can run on
// any client generation: socket.io-client 4.x (the server's own /socket.io/socket.io.min.js), 2.5.0 or
// 0.9.16 (their browser bundles, served under /clients/).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Server } from '@switchyard/core';
import { serveAssets } from 'switchyard-example-assets';
import { gameNamespace } from './game-namespace.mjs';

const require = createRequire(import.meta.url);
const page = readFileSync(new URL('./index.html', import.meta.url));
const bundle = (pkg) => readFileSync(require.resolve(`${pkg}/dist/socket.io.js`));
const files = new Map([
  ['/', ['text/html; charset=utf-8', page]],
  ['/clients/socket.io-0.9.16.js', ['text/javascript; charset=utf-8', bundle('socket.io-client-v09')]],
  ['/clients/socket.io-2.5.0.js', ['text/javascript; charset=utf-8', bundle('socket.io-client-v2')]],
]);

export function createTicTacToe(options = {}) {
  const httpServer = createServer((req, res) => {
    if (serveAssets(req, res)) return;
    const file = files.get((req.url ?? '/').split('?')[0]);
    if (file === undefined) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
    else res.writeHead(200, { 'Content-Type': file[0] }).end(file[1]);
  });
  const io = new Server(httpServer, options);
  io.register('/game', gameNamespace());
  return { httpServer, io };
}
