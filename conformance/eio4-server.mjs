// The server the official engine.io-protocol test suite (EIO4) expects: an echo endpoint at
// /engine.io/ on PORT (default 3000). Run after the build: `node conformance/eio4-server.mjs`.
import { createServer } from 'node:http';
import { Engine } from '@switchyard/core';

const port = Number(process.env.PORT ?? 3000);
const httpServer = createServer();
export const engine = new Engine({
  path: '/engine.io',
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1e6,
  cors: { origin: '*' },
}).attach(httpServer);

engine.on('connection', (session) => {
  session.on('message', (data) => session.send(data));
});

httpServer.listen(port, () => {
  console.log(`eio4 conformance server on http://localhost:${port}/engine.io/`);
});

const stop = () => engine.close().then(() => httpServer.close(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
