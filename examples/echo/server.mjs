// A standalone Engine.IO echo server: every message a client sends comes straight back.
// `pnpm -C examples/echo start` from the repository root (PORT, default 3000), then open http://localhost:3000/.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { Engine } from '@switchyard/core';
import { serveAssets } from 'switchyard-example-assets';

const require = createRequire(import.meta.url);
const port = Number(process.env.PORT ?? 3000);
const page = readFileSync(new URL('./index.html', import.meta.url));
const clientBundle = readFileSync(require.resolve('engine.io-client/dist/engine.io.min.js'));

const httpServer = createServer((req, res) => {
  if (serveAssets(req, res)) return;
  if (req.url === '/' || req.url === '/index.html') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  } else if (req.url === '/engine.io.min.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(clientBundle);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
  }
});

const engine = new Engine().attach(httpServer);

engine.on('connection', (session) => {
  console.log(`+ ${session.id} over ${session.transport.name}`);
  session.on('upgrade', (transport) => console.log(`  ${session.id} upgraded to ${transport}`));
  session.on('message', (data) => session.send(data));
  session.on('close', (reason) => console.log(`- ${session.id} (${reason})`));
});

httpServer.listen(port, () => {
  console.log(`Switchyard echo server: http://localhost:${port}/ (Engine.IO at /engine.io/)`);
});

const stop = () => engine.close().then(() => httpServer.close(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
