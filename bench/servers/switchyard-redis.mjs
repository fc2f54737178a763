// Switchyard as one node of a two-node cluster over Redis (@switchyard/redis). env: REDIS_URL,
// BENCH_KEY (shared by the nodes of one run), BENCH_SHARDED (1: sharded pub/sub, 0: classic).
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { RedisCluster } from '@switchyard/redis';
import { Redis } from 'ioredis';
import { serve } from './harness.mjs';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const cluster = new RedisCluster({ client: redis, key: process.env.BENCH_KEY, sharded: process.env.BENCH_SHARDED === '1' });
const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, adapter: cluster.adapter, router: cluster.router });

await cluster.ready();
await serve(httpServer, {
  broadcast: (seq) => io.emit('tick', seq),
  connected: () => io.sockets.sockets.size,
  close: async () => {
    await io.close();
    await cluster.close();
    redis.disconnect();
    await new Promise((resolve) => httpServer.close(() => resolve()));
  },
});
