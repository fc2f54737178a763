// The server the official socket.io-protocol test suite expects: Socket.IO v5 at /socket.io/ on PORT
// (default 3000), namespaces `/` and `/custom`. Run after the build: `node conformance/sio5-server.mjs`.
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';

const port = Number(process.env.PORT ?? 3000);
const httpServer = createServer();
const io = new Server(httpServer, {
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1e6,
  connectTimeout: 1000,
  cors: { origin: '*' },
});

function onConnection(socket) {
  socket.emit('auth', socket.handshake.auth);
  socket.on('message', (...args) => socket.emit('message-back', ...args));
  socket.on('message-with-ack', (...args) => {
    const ack = args.pop();
    ack(...args);
  });
}

io.on('connection', onConnection);
io.of('/custom').on('connection', onConnection);

httpServer.listen(port, () => {
  console.log(`sio5 conformance server on http://localhost:${port}/socket.io/`);
});

const stop = () => io.close().then(() => httpServer.close(() => process.exit(0)));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
