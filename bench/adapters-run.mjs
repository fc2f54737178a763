// Broadcast cost per node with socket.io's own adapters, Switchyard against socket.io 4.8, in one run.
// Two nodes joined by the adapter, half of the clients on each; node A emits to everyone for a while, so
// every broadcast crosses the adapter to node B. For each node: server CPU (process.cpuUsage deltas, user
// + system, from before the first emit until the clients got the last) per delivered broadcast, i.e. per
// broadcast all of that run's clients received.
// `cluster` is @socket.io/cluster-adapter: the two nodes are node:cluster workers of one primary, which
// relays the adapter's messages; its CPU is in the notes (it is neither node's).
// `pnpm -C bench bench:adapters` (REDIS_URL, PG_URL; BENCH_QUICK=1 for a smoke run; BENCH_ADAPTERS=a,b).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Child } from './child.mjs';

const here = (path) => new URL(path, import.meta.url);
const versionOf = (pkg) => JSON.parse(readFileSync(here(`./node_modules/${pkg}/package.json`), 'utf8')).version;
const quick = process.env.BENCH_QUICK === '1';
// A fixed number of broadcasts (not a time): on a shared, loaded machine the CPU they cost is what stays comparable.
const config = quick ? { clients: 100, warmup: 50, broadcasts: 300, drainMs: 20_000 } : { clients: 400, warmup: 200, broadcasts: 1000, drainMs: 30_000 };
const EMIT_CAP_MS = 120_000;
const all = ['redis/ioredis', 'redis/node-redis-5', 'redis/node-redis-4', 'redis-sharded/ioredis', 'redis-streams/ioredis', 'postgres', 'cluster'];
const chosen = process.env.BENCH_ADAPTERS?.split(',') ?? all;
const servers = [
  { id: 'switchyard', label: 'Switchyard' },
  { id: 'socket.io', label: `socket.io ${versionOf('socket.io')}` },
];

const fixed = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function cpu(node) {
  const { userMs, systemMs } = await node.request({ cmd: 'cpu' }, 'cpu', 10_000);
  return userMs + systemMs;
}

/** The two nodes as `{ port, request }` (for the cluster adapter, its primary as `relay`); every process it starts goes into `started`. */
async function startNodes(adapter, server, started) {
  const name = `${adapter} ${server.id}`;
  if (adapter === 'cluster') {
    const primary = await Child.start(`${name} primary`, here('./servers/cluster-adapter-node.mjs'), { timeoutMs: 60_000 });
    started.push(primary);
    const node = (index) => ({
      port: primary.ready.ports[index],
      request: (msg, type, timeoutMs) => primary.request({ ...msg, node: index }, `${type}:${index}`, timeoutMs),
    });
    return { nodes: [node(0), node(1)], relay: primary };
  }
  const start = async (label) => {
    const child = await Child.start(`${name} ${label}`, here('./servers/adapter-node.mjs'), { timeoutMs: 60_000 });
    started.push(child);
    return { port: child.ready.port, request: (...args) => child.request(...args) };
  };
  return { nodes: [await start('node A'), await start('node B')] };
}

async function runOne(adapter, server) {
  const started = [];
  try {
    Object.assign(process.env, { BENCH_ADAPTER: adapter, BENCH_SERVER: server.id, BENCH_KEY: `bench-${randomBytes(4).toString('hex')}` });
    const { nodes: [a, b], relay } = await startNodes(adapter, server, started);
    const load = await Child.start('load client', here('./load.mjs'));
    started.push(load);
    for (const node of [a, b]) {
      const opened = await load.request({ cmd: 'open', port: node.port, count: config.clients / 2, concurrency: 50 }, 'opened', 120_000);
      if (opened.failed > 0) throw new Error(`${opened.failed} connections failed: ${opened.firstError}`);
    }
    const measure = async (count) => {
      await load.request({ cmd: 'count-start' }, 'counting', 5000);
      const before = await Promise.all([a, b, relay].filter(Boolean).map(cpu));
      const sent = await a.request({ cmd: 'broadcast', ms: EMIT_CAP_MS, count, burst: 1 }, 'broadcast-done', EMIT_CAP_MS + 60_000);
      const got = await load.request({ cmd: 'count-stop', expected: sent.emits * config.clients, drainMs: config.drainMs }, 'count-done', config.drainMs + 10_000);
      const after = await Promise.all([a, b, relay].filter(Boolean).map(cpu));
      return { sent, got, cpuMs: after.map((ms, i) => ms - before[i]) };
    };
    await measure(config.warmup);
    const { sent, got, cpuMs } = await measure(config.broadcasts);
    const delivered = got.received / config.clients;
    return {
      // µs of server CPU per broadcast delivered to all clients, node A (the emitter) and node B.
      perBroadcast: cpuMs.map((ms) => (ms * 1000) / Math.max(delivered, 1)),
      note:
        `${sent.emits} emits; clients got ${got.received} of ${sent.emits * config.clients}; CPU ms A ${Math.round(cpuMs[0])}, B ${Math.round(cpuMs[1])}` +
        (relay ? `, cluster primary ${Math.round(cpuMs[2])} (${fixed((cpuMs[2] * 1000) / Math.max(delivered, 1))} µs per broadcast)` : ''),
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

console.log(`adapters bench (${quick ? 'quick' : 'full'}): ${config.clients} clients over two nodes, node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
const rows = [];
const notes = [];
for (const adapter of chosen) {
  const results = {};
  for (const server of servers) {
    try {
      const out = await runOne(adapter, server);
      results[server.id] = out.perBroadcast;
      notes.push(`${adapter} × ${server.label}: ${out.note}`);
      console.log(`  ${adapter} × ${server.label}: node A ${fixed(out.perBroadcast[0])} µs, node B ${fixed(out.perBroadcast[1])} µs per delivered broadcast`);
    } catch (err) {
      notes.push(`${adapter} × ${server.label}: ERROR ${err.message}`);
      console.log(`  ${adapter} × ${server.label}: ERROR ${err.message}`);
    }
  }
  rows.push({ adapter, results });
}
console.log('');
console.log('server CPU per delivered broadcast (µs, lower is better); node A emits, node B receives through the adapter');
console.log('| adapter | Switchyard A | socket.io A | A ratio | Switchyard B | socket.io B | B ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { adapter, results } of rows) {
  const cell = (id, node) => (results[id] === undefined ? 'error' : fixed(results[id][node]));
  const ratio = (node) => (results.switchyard && results['socket.io'] ? `${fixed(results.switchyard[node] / results['socket.io'][node], 2)}×` : 'n/a');
  console.log(`| ${adapter} | ${cell('switchyard', 0)} | ${cell('socket.io', 0)} | ${ratio(0)} | ${cell('switchyard', 1)} | ${cell('socket.io', 1)} | ${ratio(1)} |`);
}
console.log('\nnotes:');
for (const note of notes) console.log(`- ${note}`);
