// socket.io (the pinned 4.8.x) under test: the same minimal handlers as servers/switchyard.mjs.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
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
  close: () => new Promise((resolve) => io.close(() => resolve())),
});
