// The load process: forked by run.mjs, driven over IPC. Every client is a wire-level one (raw frames,
// no client library), of the generation and transport the scenario names, so the load process stays
// cheap and the measured figures are the server's.
//   { cmd: 'echo', port, gen, transport, clients, warmupMs, measureMs, payload } → 'echo-done'
//   { cmd: 'open', port, gens, count, concurrency, join? }  hold wire clients (gens round-robin; every
//                                                          `join.every`-th one joins `join.room`) → 'opened'
//   { cmd: 'close-all' }                                    → 'closed'
//   { cmd: 'count-start' } / { cmd: 'count-stop', expected, drainMs }   count events on held clients
//   { cmd: 'connects', port, gen, count, concurrency, warmup }  open-handshake-close → 'connects-done'
// While 'echo' runs it also sends { type: 'mark', name: 'measure-start' | 'measure-end' }.
import { agent, pollingEchoClient } from './poll-client.mjs';
import { closeWire, keepAlive, openWire, pool, wires } from './wire-client.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = (since) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** Connections held open by 'open', and the event counter of 'count-start'/'count-stop'. */
const held = [];
const stopPings = keepAlive(held);
const counter = { on: false, received: 0, firstAt: 0, lastAt: 0, startedAt: 0, cpu: undefined };

const onHeldFrame = (gen) => {
  const { isEvent } = wires[gen];
  return (data) => {
    if (!counter.on || !isEvent(data)) return;
    const now = performance.now();
    if (counter.received++ === 0) counter.firstAt = now;
    counter.lastAt = now;
  };
};

/** One websocket echo client: `send(done)` calls `done` when the ack is back. */
async function wsEchoClient(gen, port, payload) {
  let pending;
  const frame = wires[gen].echo(payload);
  const ws = await openWire(port, gen, { agent, onFrame: () => pending?.() });
  return { send: (done) => ((pending = done), ws.send(frame)), close: () => closeWire(ws) };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

async function echo({ port, gen, transport, clients, warmupMs, measureMs, payload }) {
  const make = transport === 'polling' ? pollingEchoClient : wsEchoClient;
  const conns = await Promise.all(Array.from({ length: clients }, () => make(gen, port, payload)));
  let acks = 0;
  let running = clients;
  let sampling = false;
  const rtts = [];
  const t0 = performance.now();
  const endAt = t0 + warmupMs + measureMs;
  const measured = await new Promise((resolveWindow) => {
    let start;
    setTimeout(() => {
      sampling = true;
      start = { at: performance.now(), acks, cpu: process.cpuUsage() };
      process.send({ type: 'mark', name: 'measure-start' });
    }, warmupMs);
    setTimeout(() => {
      const at = performance.now();
      sampling = false;
      process.send({ type: 'mark', name: 'measure-end' });
      resolveWindow({ acks: acks - start.acks, ms: at - start.at, cpuMs: cpuMs(start.cpu) });
    }, warmupMs + measureMs);
    for (const conn of conns) {
      const step = () => {
        const sentAt = performance.now();
        if (sentAt >= endAt) return void running--;
        conn.send(() => {
          acks++;
          if (sampling) rtts.push(performance.now() - sentAt);
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
  rtts.sort((a, b) => a - b);
  return { type: 'echo-done', ...measured, stalled, p50: percentile(rtts, 0.5), p99: percentile(rtts, 0.99) };
}

async function openHeld({ port, gens = ['v4'], count, concurrency, join }) {
  const t0 = performance.now();
  const errors = [];
  let joined = 0;
  await pool(count, concurrency, async (i) => {
    const gen = gens[i % gens.length];
    try {
      const ws = await openWire(port, gen, { agent, onFrame: onHeldFrame(gen) });
      held.push(ws);
      if (join && i % join.every === 0) {
        ws.send(wires[gen].join(join.room));
        joined++;
      }
    } catch (err) {
      errors.push(err.message);
    }
  });
  return { type: 'opened', opened: held.length, joined, failed: errors.length, firstError: errors[0], ms: performance.now() - t0 };
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

async function connects({ port, gen = 'v4', count, concurrency, warmup }) {
  const errors = [];
  const once = async () => {
    try {
      await closeWire(await openWire(port, gen, { agent }));
    } catch (err) {
      errors.push(err.message);
    }
  };
  await pool(warmup, concurrency, once);
  errors.length = 0;
  process.send({ type: 'mark', name: 'measure-start' });
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  await pool(count, concurrency, once);
  const ms = performance.now() - t0;
  const loadCpuMs = cpuMs(cpu);
  process.send({ type: 'mark', name: 'measure-end' });
  return { type: 'connects-done', ok: count - errors.length, failed: errors.length, firstError: errors[0], ms, cpuMs: loadCpuMs };
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

process.on('disconnect', () => {
  stopPings();
  process.exit(0);
});
process.on('message', async (msg) => {
  try {
    process.send(await commands[msg.cmd](msg));
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ?? err) });
  }
});
process.send({ type: 'ready', pid: process.pid });
