// The testapp's namespaces on a Next.js custom server: `pnpm -C examples/next start` (PORT, default 3000;
// dev mode unless NODE_ENV=production, which needs `pnpm -C examples/next build:next` first).
// Sign in at /login?name=… (a Next route handler sets a cookie signed with SESSION_SECRET); the `/me`
// namespace accepts only a name this server signed.
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { switchyard } from '@switchyard/next';
import next from 'next';
import { serveAssets } from 'switchyard-example-assets';
import { wireTestApp } from 'switchyard-example-testapp';
import { verifyName } from './signed-name.mjs';

if (process.env.SESSION_SECRET === undefined) console.warn('SESSION_SECRET is not set: the sign-in cookie is signed with a development secret.');
const port = Number(process.env.PORT ?? 3000);
const app = next({ dev: process.env.NODE_ENV !== 'production', dir: import.meta.dirname, port });
const handle = app.getRequestHandler();
await app.prepare();

const io = wireTestApp(new Server());
const nameOf = (socket) => {
  const found = /(?:^|;\s*)name=([^;]*)/.exec(socket.request.headers.cookie ?? '')?.[1];
  return found === undefined ? undefined : verifyName(found);
};
io.of('/me').use((socket, next) => (nameOf(socket) ? next() : next(new Error('not signed in'))));
io.of('/me').on('connection', (socket) => socket.emit('hello', nameOf(socket)));

const server = createServer((req, res) => serveAssets(req, res) || handle(req, res));
switchyard(server, io);
server.listen(port, () => console.log(`Next + Switchyard: http://localhost:${port}/`));

const stop = () => server.close(() => app.close().then(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
