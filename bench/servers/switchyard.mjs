// Switchyard under test: the same minimal handlers as servers/socketio.mjs, through @switchyard/core.
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { serve } from './harness.mjs';

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });

io.on('connection', (socket) => {
  socket.on('echo', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
});

await serve(httpServer, {
  broadcast: (seq) => io.emit('tick', seq),
  connected: () => io.sockets.sockets.size,
  close: () => io.close().then(() => new Promise((resolve) => httpServer.close(() => resolve()))),
});
