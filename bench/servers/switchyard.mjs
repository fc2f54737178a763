// Switchyard under test: the same minimal handlers as servers/socketio.mjs, through @switchyard/core.
// One server speaks every generation (4.x, 2.x and 0.9 clients), so it also hosts the mixed room.
// BENCH_CORE (a file URL, set by run.mjs for the `switchyard-baseline` contender) loads another
// checkout's built core instead of this workspace's, so the same script measures both.
import { createServer } from 'node:http';
import { serve } from './harness.mjs';

const { Server } = await import(process.env.BENCH_CORE ?? '@switchyard/core');

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });

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
  close: () => io.close().then(() => new Promise((resolve) => httpServer.close(() => resolve()))),
});
