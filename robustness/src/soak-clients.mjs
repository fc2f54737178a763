// A process of soak clients (forked by soak.mjs): holds wire clients of the generations and transports it
// is told, counts the `tick` broadcasts each receives and checks their sequence numbers. IPC:
//   { cmd: 'connect', port, groups: [{ generation, transport, count, inRoom }], concurrency }
//        → { type: 'connected', connected, failed, errors }
//   { cmd: 'start' } → the soak begins: resets the process's own load figures → { type: 'started' }
//   { cmd: 'report', expected, waitMs } → waits (up to waitMs) until every client in the room has `expected`
//        ticks → { type: 'report', groups: { 'eio4/websocket': { clients, heartbeats, inRoom, delivered, short, outOfOrder, disconnects } },
//        reasons, load: { eventLoop: { p50, p99, max }, cpu, connectionsOpened } } (load: this process since
//        'start': its event-loop delay in ms, its CPU time as a share of one core, the TCP connections it opened)
//   { cmd: 'close' } → closes every client and exits
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WireClient } from './wire/wire-client.mjs';
import { connectionStats, pollingAgent } from './wire/wire-links.mjs';

const clients = [];
const reasons = {};
let soaking = true;

// The driver's own load: a client process that falls behind delays pongs and reads as a slow server.
const delay = monitorEventLoopDelay({ resolution: 10 });
let since = { cpu: process.cpuUsage(), at: performance.now(), connections: 0 };

function start() {
  delay.reset();
  delay.enable();
  since = { cpu: process.cpuUsage(), at: performance.now(), connections: connectionStats.opened };
  return { type: 'started' };
}

function load() {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const { user, system } = process.cpuUsage(since.cpu);
  return {
    eventLoop: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    cpu: Math.round((user + system) / 10 / (performance.now() - since.at)) / 100,
    connectionsOpened: connectionStats.opened - since.connections,
  };
}

async function connect({ port, groups, concurrency }) {
  const jobs = groups.flatMap((g) => Array.from({ length: g.count }, (_, i) => ({ ...g, inRoom: i < g.inRoom })));
  let next = 0;
  let failed = 0;
  const errors = [];
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const name = `${job.generation}/${job.transport}`;
      try {
        const client = await WireClient.connect({ port, generation: job.generation, transport: job.transport, timeoutMs: 60_000 });
        const entry = { name, client, inRoom: job.inRoom, ticks: 0, last: -1, outOfOrder: 0, disconnected: false };
        client.on('event', (_nsp, event, args) => {
          if (event !== 'tick') return;
          if (args[0] !== entry.last + 1) entry.outOfOrder++;
          entry.last = args[0];
          entry.ticks++;
        });
        client.on('close', (reason) => {
          entry.disconnected = soaking;
          const key = `${name}: ${reason}`;
          reasons[key] = (reasons[key] ?? 0) + 1;
        });
        if (job.inRoom) await client.emitWithAck('/', 'join', ['soak']);
        clients.push(entry);
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push(`${name}: ${err.message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { type: 'connected', connected: clients.length, failed, errors };
}

async function report({ expected, waitMs }) {
  const figures = load();
  const deadline = Date.now() + waitMs;
  const behind = () => clients.some((e) => e.inRoom && !e.disconnected && e.ticks < expected);
  while (behind() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  soaking = false;
  const groups = {};
  for (const e of clients) {
    const g = (groups[e.name] ??= { clients: 0, heartbeats: 0, inRoom: 0, delivered: 0, short: 0, outOfOrder: 0, disconnects: 0 });
    g.clients++;
    g.heartbeats += e.client.heartbeats;
    if (e.disconnected) g.disconnects++;
    if (!e.inRoom) continue;
    g.inRoom++;
    g.delivered += e.ticks;
    if (e.ticks !== expected) g.short++;
    g.outOfOrder += e.outOfOrder;
  }
  return { type: 'report', groups, reasons, load: figures };
}

process.on('message', async (msg) => {
  if (msg.cmd === 'connect') process.send(await connect(msg));
  else if (msg.cmd === 'start') process.send(start());
  else if (msg.cmd === 'report') process.send(await report(msg));
  else if (msg.cmd === 'close') {
    soaking = false;
    // Every client says goodbye (a polling one posts it) before the process goes.
    const timer = setTimeout(() => process.exit(0), 60_000);
    await Promise.all(clients.map((e) => e.client.close()));
    clearTimeout(timer);
    pollingAgent.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
