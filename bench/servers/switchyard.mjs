// Switchyard under test: the minimal handlers of harness.mjs's serveSocketIo, as servers/socketio.mjs, through @switchyard/core.
// One server speaks every generation (4.x, 2.x and 0.9 clients), so it also hosts the mixed room.
// BENCH_CORE (a file URL, set by run.mjs for the `switchyard-baseline` contender) loads another
// checkout's built core instead of this workspace's, so the same script measures both.
import { createServer } from 'node:http';
import { serveSocketIo } from './harness.mjs';

const { Server } = await import(process.env.BENCH_CORE ?? '@switchyard/core');

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });

await serveSocketIo(httpServer, io, () => io.close().then(() => new Promise((resolve) => httpServer.close(() => resolve()))));
