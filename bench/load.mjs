// The load process, forked by run.mjs once per scenario and contender. It takes commands over IPC and
// answers each with one message; every loop in it is bounded by a deadline or a count.
//   { cmd: 'echo', port, client: 'sio'|'ws', clients, warmupMs, measureMs, payload } → 'echo-done'
//   { cmd: 'open', port, count, concurrency }   hold `count` handshaken connections  → 'opened'
//   { cmd: 'close-all' }                        close the held connections           → 'closed'
//   { cmd: 'count-start' } / { cmd: 'count-stop', expected, drainMs }  count events  → 'counting' / 'count-done'
//   { cmd: 'connects', port, count, concurrency, warmup }  open-handshake-close      → 'connects-done'
// While 'echo' runs it also sends { type: 'mark', name: 'measure-start' | 'measure-end' }.
import { io as sioConnect } from 'socket.io-client';
import { closeWire, isEvent, openWire, pool, wireUrl } from './wire-client.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** Connections held open by 'open', and the event counter of 'count-start'/'count-stop'. */
const held = [];
const counter = { on: false, received: 0, firstAt: 0, lastAt: 0, startedAt: 0, cpu: undefined };

function onHeldFrame(data) {
  if (!counter.on || !isEvent(data)) return;
  const now = performance.now();
  if (counter.received++ === 0) counter.firstAt = now;
  counter.lastAt = now;
}

/** One echo client: `connect()`, then `send(done)` calls `done` when the answer is back. */
async function echoClient(kind, port, payload) {
  if (kind === 'ws') {
    let pending;
    const frame = JSON.stringify(['echo', payload]);
    const ws = await openWire(wireUrl(port), { onFrame: () => pending?.() });
    return { send: (done) => ((pending = done), ws.send(frame)), close: () => closeWire(ws) };
  }
  const socket = sioConnect(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 10_000,
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { send: (done) => socket.emit('echo', payload, () => done()), close: () => socket.disconnect() };
}

async function echo({ port, client, clients, warmupMs, measureMs, payload }) {
  const conns = await Promise.all(Array.from({ length: clients }, () => echoClient(client, port, payload)));
  let acks = 0;
  let running = clients;
  const t0 = performance.now();
  const endAt = t0 + warmupMs + measureMs;
  const measured = await new Promise((resolveWindow) => {
    let start;
    setTimeout(() => {
      start = { at: performance.now(), acks, cpu: process.cpuUsage() };
      process.send({ type: 'mark', name: 'measure-start' });
    }, warmupMs);
    setTimeout(() => {
      const at = performance.now();
      process.send({ type: 'mark', name: 'measure-end' });
      resolveWindow({ acks: acks - start.acks, ms: at - start.at, cpuMs: cpuMs(start.cpu) });
    }, warmupMs + measureMs);
    for (const conn of conns) {
      const step = () => {
        if (performance.now() >= endAt) return void running--;
        conn.send(() => {
          acks++;
          step();
        });
      };
      step();
    }
  });
  // The loops stop at the deadline; give the last round trips a moment, then count who never came back.
  for (let waited = 0; running > 0 && waited < 3000; waited += 50) await sleep(50);
  const stalled = running;
  await Promise.all(conns.map((conn) => conn.close()));
  return { type: 'echo-done', ...measured, stalled };
}

async function openHeld({ port, count, concurrency }) {
  const t0 = performance.now();
  const errors = [];
  await pool(count, concurrency, async () => {
    try {
      held.push(await openWire(wireUrl(port), { onFrame: onHeldFrame }));
    } catch (err) {
      errors.push(err.message);
    }
  });
  return { type: 'opened', opened: held.length, failed: errors.length, firstError: errors[0], ms: performance.now() - t0 };
}

async function closeAll() {
  await pool(held.length, 200, (i) => closeWire(held[i]));
  held.length = 0;
  return { type: 'closed' };
}

async function countStop({ expected, drainMs }) {
  // Keep counting until everything the server sent has arrived, the stream went quiet, or drainMs.
  const stopAt = performance.now();
  while (counter.received < expected && performance.now() - stopAt < drainMs) {
    const before = counter.received;
    await sleep(100);
    if (counter.received === before && performance.now() - counter.lastAt > 500) break;
  }
  counter.on = false;
  const { received, firstAt, lastAt, startedAt } = counter;
  return {
    type: 'count-done',
    received,
    activeMs: lastAt - firstAt,
    drainMs: Math.max(0, lastAt - stopAt),
    cpuMs: cpuMs(counter.cpu),
    wallMs: performance.now() - startedAt,
  };
}

async function connects({ port, count, concurrency, warmup }) {
  const errors = [];
  const once = async () => {
    try {
      await closeWire(await openWire(wireUrl(port)));
    } catch (err) {
      errors.push(err.message);
    }
  };
  await pool(warmup, concurrency, once);
  errors.length = 0;
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  await pool(count, concurrency, once);
  const ms = performance.now() - t0;
  return { type: 'connects-done', ok: count - errors.length, failed: errors.length, firstError: errors[0], ms, cpuMs: cpuMs(cpu) };
}

const commands = {
  echo,
  open: openHeld,
  'close-all': closeAll,
  'count-start': () => {
    Object.assign(counter, { on: true, received: 0, firstAt: 0, lastAt: 0, startedAt: performance.now(), cpu: process.cpuUsage() });
    return { type: 'counting' };
  },
  'count-stop': countStop,
  connects,
};

process.on('disconnect', () => process.exit(0));
process.on('message', async (msg) => {
  try {
    process.send(await commands[msg.cmd](msg));
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});
process.send({ type: 'ready', pid: process.pid });
