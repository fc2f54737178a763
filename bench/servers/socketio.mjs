// socket.io (the pinned 4.8.x) under test: the minimal handlers of harness.mjs's serveSocketIo, as servers/switchyard.mjs.
// BENCH_EIO3=1 turns on `allowEIO3`, for 2.x clients.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serveSocketIo } from './harness.mjs';

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false, allowEIO3: process.env.BENCH_EIO3 === '1' });

await serveSocketIo(httpServer, io, () => new Promise((resolve) => io.close(() => resolve())));
