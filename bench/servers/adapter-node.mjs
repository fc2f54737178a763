// One node of a two-node cluster joined by one of socket.io's adapters (BENCH_ADAPTER, a name of
// ecosystem/nodes/adapters.mjs, e.g. `redis/ioredis`), as a Switchyard Server or, with
// BENCH_SERVER=socket.io, a socket.io 4.8 Server. env: REDIS_URL, PG_URL, BENCH_KEY (the channels of one run).
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { Server as SocketIoServer } from 'socket.io';
import { adapters } from '../../ecosystem/nodes/adapters.mjs';
import { serve } from './harness.mjs';

const made = await adapters[process.env.BENCH_ADAPTER](process.env.BENCH_KEY);
const httpServer = createServer();
const options = { serveClient: false, adapter: made.adapter };
const io = process.env.BENCH_SERVER === 'socket.io' ? new SocketIoServer(httpServer, options) : new Server(httpServer, options);

await serve(httpServer, {
  broadcast: (seq) => io.emit('tick', seq),
  connected: () => io.of('/').sockets.size,
  close: async () => {
    await io.close();
    await made.close();
  },
});
