// The server of the leak run, in a child process of its own started with --expose-gc, so that the heap it
// reports holds the server alone (the clients run in the parent). It serves every generation on one port
// with what a real app leaves behind on each connection: rooms, middleware (io.use and a per-namespace
// one, both async), a class namespace on `/` whose async initialize() runs and whose recvConnect starts a
// job, acknowledgements still awaited when the client leaves (with and without a timeout), a broadcast
// with an ack, and connection state recovery (a v4 socket the server drops is persisted, then expires).
//
// IPC (process.send): it sends { port } once listening; it answers { measure: true } with
// { heap, resources, sessions } after the sessions are gone and the heap has been collected.
import { createServer } from 'node:http';
import { BaseNamespace, Server } from '@switchyard/core';

if (typeof globalThis.gc !== 'function') throw new Error('leak-server.mjs needs node --expose-gc');

/** How long a dropped v4 socket's state is kept: short, so that the run waits it out before measuring. */
const RECOVERY_MS = 1000;
/** How long a broadcast with an ack waits for the answers its clients never send. */
const BROADCAST_ACK_MS = 2000;

// Node's own keep-alive timeout (5 s): a shorter one races the clients' agents, which reuse a connection the
// server is closing. The run waits for every connection to close before it measures.
const http = createServer();
const io = new Server(http, {
  connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_MS, skipMiddlewares: false },
  pingInterval: 5000,
  pingTimeout: 5000,
  // socket.io-client 0.9's xhr-polling leaves without a word (its `0::` POST is aborted with the transport):
  // the close timeout ends such a session, so it is short here for the run not to wait a minute.
  protocol09: { closeTimeout: 5000, pollingDuration: 2000 },
});

io.use((socket, next) => {
  // An async middleware, as one that looks a token up would be.
  setImmediate(() => {
    socket.data.checkedAt = Date.now();
    next();
  });
});
io.of('/').use((socket, next) => void Promise.resolve().then(() => next()));

class Lobby extends BaseNamespace {
  async initialize() {
    await new Promise((resolve) => setImmediate(resolve));
    this.session.ready = true;
  }

  recvConnect() {
    this.join('lobby');
    this.join(`team-${this.socket.id.charCodeAt(0) % 8}`);
    // A job that would tick for as long as the client stays: its timer must go with the socket.
    this.spawn(async (signal) => {
      while (!signal.aborted) {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(undefined);
          }, { once: true });
        });
      }
    });
  }

  onHello(value) {
    // Acknowledgements the client never answers: one with a timeout (its timer), one without.
    this.socket.timeout(60_000).emit('unanswered', value, () => {});
    this.socket.emit('unanswered', value, () => {});
    // A broadcast with an ack to this socket's room, still waiting when it leaves: it waits out its timeout
    // (as socket.io's does), so the run waits BROADCAST_ACK_MS before measuring.
    io.to(this.socket.id).timeout(BROADCAST_ACK_MS).emit('unanswered', value, () => {});
    // A broadcast through the recovery log, so that a dropped v4 socket has an offset to persist.
    this.emitToRoom('lobby', 'tick', value);
    const drop = this.socket.handshake.query.drop === '1';
    // A v4 socket the server drops (not a disconnect packet): recovery keeps its state for RECOVERY_MS.
    if (drop) setImmediate(() => this.socket.conn.close());
    return `re: ${value}`;
  }
}
io.register('/', Lobby);

function sessions() {
  return io.engine.clientsCount + (io.legacyEngine?.sessions.size ?? 0);
}

/** Resource types by count, as process.getActiveResourcesInfo() lists them (this IPC channel included). */
function resources() {
  const counts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function connections() {
  return new Promise((resolve) => http.getConnections((err, count) => resolve(err ? -1 : count)));
}

async function settle() {
  // Every session gone and every TCP connection closed, then the recovery log and the broadcast acks past
  // their expiry.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (sessions() > 0 || (await connections()) > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (Date.now() >= deadline) console.error(`[leak-server] still ${sessions()} sessions, ${await connections()} connections after 60 s`);
  await new Promise((resolve) => setTimeout(resolve, Math.max(2 * RECOVERY_MS, BROADCAST_ACK_MS) + 500));
  for (let i = 0; i < 6; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

process.on('message', (message) => {
  if (message?.measure !== true) return;
  void settle().then(async () => {
    process.send({ heap: process.memoryUsage().heapUsed, resources: resources(), sessions: sessions(), connections: await connections() });
  });
});
process.on('message', (message) => {
  if (message?.stop !== true) return;
  io.close(() => process.exit(0));
});

http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
