// `pnpm soak [--ws N] [--polling M] [--duration MS] [--broadcast-ms MS] [--room-fraction F] [--processes P]
// [--ping-interval MS] [--ping-timeout MS]`
// (or SOAK_WS, SOAK_POLLING, SOAK_DURATION): a Switchyard Server in its own process holds N websocket and
// M polling clients, spread evenly over the three wire generations, in P client processes, for the
// duration, with short heartbeats, while `tick` is broadcast every MS to a room holding F of the clients.
// Fails (exit 1) on any disconnect during the soak, a client that could not connect, or a client in the room
// that missed a tick or got one out of order. Prints the client counts, deliveries, the server's heap and
// RSS (after gc) before, with the clients and after they left, and its event-loop delay p50/p99 during the
// soak, the client processes' own event-loop delay, CPU and new TCP connections (flagging a saturated
// driver). The last line is `SOAK-SUMMARY <json>`.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startTarget } from './target-process.mjs';
import { GENERATIONS } from './wire/wire-codec.mjs';

const env = process.env;
const { values } = parseArgs({
  options: {
    ws: { type: 'string', default: env.SOAK_WS ?? '10000' },
    polling: { type: 'string', default: env.SOAK_POLLING ?? '1000' },
    duration: { type: 'string', default: env.SOAK_DURATION ?? '60000' },
    'broadcast-ms': { type: 'string', default: '1000' },
    'room-fraction': { type: 'string', default: '1' },
    processes: { type: 'string', default: '2' },
    'ping-interval': { type: 'string', default: '5000' },
    'ping-timeout': { type: 'string', default: '30000' },
  },
});
const ws = Number(values.ws);
const polling = Number(values.polling);
const duration = Number(values.duration);
const broadcastMs = Number(values['broadcast-ms']);
const fraction = Number(values['room-fraction']);
const processes = Number(values.processes);
const pingInterval = Number(values['ping-interval']);
const pingTimeout = Number(values['ping-timeout']);
if (![ws, polling].every((n) => Number.isSafeInteger(n) && n >= 0) || !(duration > 0) || !(broadcastMs > 0) || !(fraction >= 0 && fraction <= 1) || !(processes >= 1) || !(pingInterval > 0) || !(pingTimeout > 0)) {
  console.error('usage: pnpm soak [--ws N] [--polling M] [--duration MS] [--broadcast-ms MS] [--room-fraction 0..1] [--processes P] [--ping-interval MS] [--ping-timeout MS]');
  process.exit(2);
}

/** A client process past either bound is flagged as saturated. */
const DRIVER_CPU_BOUND = 0.9;
const DRIVER_DELAY_BOUND_MS = 1000;
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const { execFileSync } = await import('node:child_process');
const fdLimit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
console.log(`soak: ${ws} websocket + ${polling} polling clients over ${GENERATIONS.join(', ')}, ${duration} ms, tick every ${broadcastMs} ms to ${fraction * 100}% of them, ping every ${pingInterval} ms (timeout ${pingTimeout} ms); ulimit -n ${fdLimit}`);
if (fdLimit < ws + 2 * polling + 100) console.log(`warning: ulimit -n ${fdLimit} is low for this many clients; run through \`pnpm soak\`, which raises it`);

// Short heartbeats so they really happen during the soak; timeouts generous enough for a loaded machine.
const target = await startTarget({
  pingInterval,
  pingTimeout,
  connectTimeout: 60_000,
  // closeTimeout also bounds a 0.9 handshake's wait for its transport, which takes long while thousands join.
  protocol09: { heartbeatInterval: pingInterval, heartbeatTimeout: pingInterval + pingTimeout, closeTimeout: 120_000, pollingDuration: 10_000 },
}, { onExit: (how) => console.log(`the server process died (${how.code ?? how.signal})`) });
const baseline = await target.stats();

// Split every (generation, transport) group over the client processes.
const split = (total, parts, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
const plans = Array.from({ length: processes }, () => []);
GENERATIONS.forEach((generation, g) => {
  for (const [transport, total] of [['websocket', ws], ['polling', polling]]) {
    const count = split(total, GENERATIONS.length, g);
    for (let p = 0; p < processes; p++) {
      const n = split(count, processes, p);
      if (n > 0) plans[p].push({ generation, transport, count: n, inRoom: Math.round(n * fraction) });
    }
  }
});
const children = plans.map(() => fork(new URL('./soak-clients.mjs', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
const ask = async (child, msg) => {
  const reply = once(child, 'message');
  child.send(msg);
  return (await reply)[0];
};

const connectStart = Date.now();
const connected = await Promise.all(children.map((c, i) => ask(c, { cmd: 'connect', port: target.port, groups: plans[i], concurrency: 100 })));
const connectMs = Date.now() - connectStart;
const achieved = connected.reduce((n, r) => n + r.connected, 0);
const failedToConnect = connected.reduce((n, r) => n + r.failed, 0);
console.log(`${achieved} clients connected in ${(connectMs / 1000).toFixed(1)} s (${failedToConnect} failed${failedToConnect > 0 ? `: ${connected.flatMap((r) => r.errors).join('; ')}` : ''})`);

const loaded = await target.stats(true);
await Promise.all(children.map((c) => ask(c, { cmd: 'start' })));
target.startBroadcast(broadcastMs, 'soak');
await new Promise((r) => setTimeout(r, duration));
const sent = await target.stopBroadcast();
const during = await target.stats();
const reports = await Promise.all(children.map((c) => ask(c, { cmd: 'report', expected: sent, waitMs: 30_000 })));

const groups = {};
const reasons = {};
for (const r of reports) {
  for (const [name, g] of Object.entries(r.groups)) {
    const sum = (groups[name] ??= { clients: 0, heartbeats: 0, inRoom: 0, delivered: 0, short: 0, outOfOrder: 0, disconnects: 0 });
    for (const k of Object.keys(sum)) sum[k] += g[k];
  }
  for (const [k, n] of Object.entries(r.reasons)) reasons[k] = (reasons[k] ?? 0) + n;
}
await Promise.all(children.map((c) => (c.send({ cmd: 'close' }), once(c, 'exit'))));
let after = await target.stats();
for (let i = 0; i < 120 && after.sessions + after.legacySessions > 0; i++) {
  await new Promise((r) => setTimeout(r, 500));
  after = await target.stats();
}
await target.stop();

const total = Object.values(groups).reduce((t, g) => ({ inRoom: t.inRoom + g.inRoom, delivered: t.delivered + g.delivered, short: t.short + g.short, outOfOrder: t.outOfOrder + g.outOfOrder, disconnects: t.disconnects + g.disconnects }), { inRoom: 0, delivered: 0, short: 0, outOfOrder: 0, disconnects: 0 });
const failures = [];
if (failedToConnect > 0) failures.push(`${failedToConnect} clients could not connect`);
if (total.disconnects > 0) failures.push(`${total.disconnects} clients were disconnected during the soak: ${JSON.stringify(reasons)}`);
if (total.short > 0) failures.push(`${total.short} clients in the room did not get all ${sent} ticks`);
if (total.outOfOrder > 0) failures.push(`${total.outOfOrder} ticks arrived out of order`);
if (after.sessions + after.legacySessions > 0) failures.push(`${after.sessions + after.legacySessions} sessions still open after the clients left`);

console.log(`${sent} ticks broadcast; ${total.delivered} deliveries to ${total.inRoom} clients in the room (expected ${sent * total.inRoom})`);
for (const [name, g] of Object.entries(groups)) {
  console.log(`  ${name.padEnd(16)} clients ${g.clients}, heartbeats ${g.heartbeats}, in room ${g.inRoom}, delivered ${g.delivered}, short ${g.short}, out of order ${g.outOfOrder}, disconnects ${g.disconnects}`);
}
console.log(`server heap after gc: ${mb(baseline.heapUsed)} MB empty, ${mb(loaded.heapUsed)} MB with the clients, ${mb(during.heapUsed)} MB at the end of the soak, ${mb(after.heapUsed)} MB after they left`);
console.log(`server rss: ${mb(baseline.rss)} MB empty, ${mb(loaded.rss)} MB with the clients, ${mb(during.rss)} MB at the end, ${mb(after.rss)} MB after`);
console.log(`server event-loop delay during the soak: p50 ${during.eventLoop.p50} ms, p99 ${during.eventLoop.p99} ms, max ${during.eventLoop.max} ms`);
console.log(`sessions closed by the server: ${JSON.stringify(after.closes)}`);
// The clients' own processes: one that ran out of CPU answers heartbeats late, which is not the server's doing.
const drivers = reports.map((r) => r.load);
drivers.forEach((d, i) => {
  console.log(`client process ${i + 1}: event-loop delay p50 ${d.eventLoop.p50} ms, p99 ${d.eventLoop.p99} ms, max ${d.eventLoop.max} ms; cpu ${Math.round(d.cpu * 100)}% of a core; ${d.connectionsOpened} TCP connections opened during the soak`);
});
const driverBound = drivers.some((d) => d.cpu >= DRIVER_CPU_BOUND || d.eventLoop.p99 >= DRIVER_DELAY_BOUND_MS);
if (driverBound) console.log(`warning: a client process was saturated (cpu >= ${DRIVER_CPU_BOUND * 100}% or event-loop p99 >= ${DRIVER_DELAY_BOUND_MS} ms): this run measures the driver as much as the server; use more --processes`);
console.log(failures.length === 0 ? 'PASS' : `FAIL:\n  ${failures.join('\n  ')}`);
const summary = { ws, polling, achieved, failedToConnect, connectMs, duration, broadcastMs, sent, groups, total, reasons, baseline, loaded, during, after, drivers, driverBound, failures };
console.log(`SOAK-SUMMARY ${JSON.stringify(summary)}`);
process.exit(failures.length === 0 ? 0 : 1);
