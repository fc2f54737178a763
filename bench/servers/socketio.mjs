// socket.io (the pinned 4.8.x) under test: the same minimal handlers as servers/switchyard.mjs.
// BENCH_EIO3=1 turns on `allowEIO3`, for 2.x clients.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serve } from './harness.mjs';

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, allowEIO3: process.env.BENCH_EIO3 === '1' });

io.on('connection', (socket) => {
  socket.on('echo', (...args) => {
    const ack = args.pop();
    if (typeof ack === 'function') ack(...args);
  });
  socket.on('join', (room) => socket.join(room));
});

await serve(httpServer, {
  broadcast: (seq, room) => (room === undefined ? io.emit('tick', seq) : io.to(room).emit('tick', seq)),
  connected: () => io.sockets.sockets.size,
  members: (room) => (room === undefined ? undefined : io.sockets.adapter.rooms.get(room)?.size ?? 0),
  close: () => new Promise((resolve) => io.close(() => resolve())),
});
