// socket.io (the pinned 4.8.x) as one node of a two-node cluster, with @socket.io/redis-adapter over
// ioredis. env: REDIS_URL, BENCH_KEY (the adapter's channel prefix, shared by the nodes of one run).
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { serve } from './harness.mjs';

const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const sub = pub.duplicate();
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, adapter: createAdapter(pub, sub, { key: process.env.BENCH_KEY }) });

await serve(httpServer, {
  broadcast: (seq) => io.emit('tick', seq),
  connected: () => io.sockets.sockets.size,
  close: async () => {
    await new Promise((resolve) => io.close(() => resolve()));
    pub.disconnect();
    sub.disconnect();
  },
});
