// socket.io 0.9.19 (the 0.9 wire's reference server, installed as `socket.io-09`) under test, with the
// same minimal handlers as servers/switchyard.mjs. It throws on an abrupt ECONNRESET from a closing
// load client, which is not what is measured here, so such errors are ignored.
import { createServer } from 'node:http';
import legacy from 'socket.io-09';
import { serve } from './harness.mjs';

process.on('uncaughtException', (err) => {
  if (err?.code !== 'ECONNRESET' && err?.code !== 'EPIPE') throw err;
});

const httpServer = createServer();
const io = legacy.listen(httpServer, { log: false });
let connected = 0;

io.sockets.on('connection', (socket) => {
  connected++;
  socket.on('disconnect', () => connected--);
  socket.on('echo', (data, ack) => {
    if (typeof ack === 'function') ack(data);
  });
  socket.on('join', (room) => socket.join(room));
});

await serve(httpServer, {
  broadcast: (seq, room) => (room === undefined ? io.sockets.emit('tick', seq) : io.sockets.in(room).emit('tick', seq)),
  connected: () => connected,
  members: (room) => (room === undefined ? undefined : io.sockets.clients(room).length),
  close: () => new Promise((resolve) => httpServer.close(() => resolve())),
});
