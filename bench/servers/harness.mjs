// What every bench server process shares: listen on 127.0.0.1 on a free port, then answer the
// orchestrator over IPC. A contender hands in three functions:
//   broadcast(seq, room) – send one event to every connected client (or to the members of `room`)
//   connected()    – how many clients are connected right now
//   close()        – release everything (best effort; the process is killed right after anyway)
// Commands (from the parent):            replies:
//   { cmd: 'mem' }                        { type: 'mem', heapUsed, rss, connected }   after global.gc()
//   { cmd: 'broadcast', ms, burst, count?, room? } { type: 'broadcast-done', emits, ticks, ms, cpuMs, connected }
//   { cmd: 'cpu' }                        { type: 'cpu', userMs, systemMs }
//   { cmd: 'snapshot', path }             { type: 'snapshot', path }          a heap snapshot after gc()
//   { cmd: 'members', room }              { type: 'members', members }        how many sockets are in `room`
// The process closes and exits when the parent closes the IPC channel (or goes away).
import { once } from 'node:events';
import { setImmediate as nextTick } from 'node:timers/promises';
import { writeHeapSnapshot } from 'node:v8';

/** Runs every finalizer we can reach so the heap holds only what is live. */
async function collect() {
  if (typeof global.gc !== 'function') throw new Error('start the server with --expose-gc');
  for (let i = 0; i < 4; i++) {
    global.gc();
    await nextTick();
  }
}

/** The server-side broadcast loop: `burst` emits per setImmediate tick for `ms` milliseconds (or `count` emits). */
function broadcastFor({ ms, burst, count = Infinity, room }, broadcast) {
  return new Promise((resolve) => {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const deadline = start + ms;
    let emits = 0;
    let ticks = 0;
    const tick = () => {
      const now = performance.now();
      if (now >= deadline || emits >= count) {
        const cpu = process.cpuUsage(cpu0);
        resolve({ emits, ticks, ms: now - start, cpuMs: (cpu.user + cpu.system) / 1000 });
        return;
      }
      for (let i = 0; i < burst; i++) broadcast(emits++, room);
      ticks++;
      setImmediate(tick);
    };
    setImmediate(tick);
  });
}

/**
 * Starts `httpServer` on 127.0.0.1 and serves the orchestrator's commands until the parent closes the
 * channel or goes away.
 */
export async function serve(httpServer, { broadcast, connected, close, members = () => undefined }) {
  if (typeof process.send !== 'function') throw new Error('a bench server runs as a forked child of run.mjs');
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');

  let exiting = false;
  const exit = async () => {
    if (exiting) return;
    exiting = true;
    const timer = setTimeout(() => process.exit(0), 2000);
    try {
      await close();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('disconnect', exit);

  process.on('message', async (msg) => {
    try {
      if (msg.cmd === 'mem') {
        await collect();
        const { heapUsed, rss } = process.memoryUsage();
        process.send({ type: 'mem', heapUsed, rss, connected: connected() });
      } else if (msg.cmd === 'broadcast') {
        const result = await broadcastFor(msg, broadcast);
        process.send({ type: 'broadcast-done', ...result, connected: connected(), members: members(msg.room) });
      } else if (msg.cmd === 'snapshot') {
        await collect();
        process.send({ type: 'snapshot', path: writeHeapSnapshot(msg.path) });
      } else if (msg.cmd === 'members') {
        process.send({ type: 'members', members: members(msg.room) });
      } else if (msg.cmd === 'cpu') {
        const { user, system } = process.cpuUsage();
        process.send({ type: 'cpu', userMs: user / 1000, systemMs: system / 1000 });
      }
    } catch (err) {
      process.send({ type: 'error', message: String(err?.stack ?? err) });
    }
  });
  process.send({ type: 'ready', port: httpServer.address().port, pid: process.pid });
}

/**
 * The minimal handlers and commands of a contender that speaks socket.io 4's server API (socket.io itself and
 * Switchyard), so both run the very same code: `echo` acks its arguments back, `join` joins a room, and a
 * broadcast goes to everyone or to one room. `close` releases the contender's own resources.
 */
export async function serveSocketIo(httpServer, io, close) {
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
    close,
  });
}
