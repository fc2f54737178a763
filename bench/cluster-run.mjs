// Broadcast over two nodes joined by Redis: 1000 clients, half on each node; node A emits to everyone,
// so half of every broadcast crosses Redis to node B. Switchyard with @switchyard/redis against
// socket.io 4.8 with @socket.io/redis-adapter, fresh processes for each, in the same run.
// `pnpm -C bench bench:cluster` (REDIS_URL, default redis://127.0.0.1:6379; BENCH_QUICK=1 for a smoke run).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Child } from './child.mjs';

const here = (path) => new URL(path, import.meta.url);
const versionOf = (pkg) => JSON.parse(readFileSync(here(`./node_modules/${pkg}/package.json`), 'utf8')).version;
const quick = process.env.BENCH_QUICK === '1';
const config = quick ? { clients: 200, warmupMs: 300, ms: 1000, drainMs: 5000 } : { clients: 1000, warmupMs: 1000, ms: 5000, drainMs: 10_000 };
const bursts = [1, 10];

const contenders = [
  { id: 'switchyard', label: 'switchyard + @switchyard/redis (sharded)', server: 'switchyard-redis.mjs', env: { BENCH_SHARDED: '1' } },
  { id: 'switchyard-classic', label: 'switchyard + @switchyard/redis (classic)', server: 'switchyard-redis.mjs', env: { BENCH_SHARDED: '0' } },
  { id: 'socketio', label: `socket.io ${versionOf('socket.io')} + @socket.io/redis-adapter ${versionOf('@socket.io/redis-adapter')}`, server: 'socketio-redis.mjs', env: {} },
];

const int = (n) => Math.round(n).toLocaleString('en-US');

async function startNode(contender, name) {
  // fork() copies the environment as it is at that moment.
  Object.assign(process.env, contender.env);
  return Child.start(`${contender.id} ${name}`, here(`./servers/${contender.server}`), { execArgv: ['--expose-gc'] });
}

async function runOne(contender, burst) {
  const started = [];
  try {
    process.env.BENCH_KEY = `bench-${randomBytes(4).toString('hex')}`;
    const a = await startNode(contender, 'node A');
    started.push(a);
    const b = await startNode(contender, 'node B');
    started.push(b);
    const load = await Child.start('load client', here('./load.mjs'));
    started.push(load);
    const half = config.clients / 2;
    for (const node of [a, b]) {
      const opened = await load.request({ cmd: 'open', port: node.ready.port, count: half, concurrency: 100 }, 'opened', 120_000);
      if (opened.failed > 0) throw new Error(`${opened.failed} connections failed: ${opened.firstError}`);
    }
    const measure = async (ms) => {
      await load.request({ cmd: 'count-start' }, 'counting', 5000);
      const sent = await a.request({ cmd: 'broadcast', ms, burst }, 'broadcast-done', ms + 60_000);
      const got = await load.request({ cmd: 'count-stop', expected: sent.emits * config.clients, drainMs: config.drainMs }, 'count-done', config.drainMs + 10_000);
      return { sent, got };
    };
    await measure(config.warmupMs);
    const { sent, got } = await measure(config.ms);
    const expected = sent.emits * config.clients;
    return {
      value: (got.received * 1000) / Math.max(got.activeMs, 1),
      note: `${int(sent.emits)} emits from node A; clients got ${int(got.received)} of ${int(expected)}, the last ${int(got.drainMs)} ms after node A stopped; node A CPU ${Math.round((100 * sent.cpuMs) / sent.ms)}%`,
    };
  } finally {
    await Promise.all(started.map((child) => child.stop()));
  }
}

console.log(`switchyard cluster bench (${quick ? 'quick' : 'full'}): ${config.clients} clients over two nodes, node ${process.version}, load average ${loadavg()[0].toFixed(2)}`);
const results = {};
const notes = [];
for (const burst of bursts) {
  for (const contender of contenders) {
    try {
      const out = await runOne(contender, burst);
      (results[burst] ??= {})[contender.id] = out.value;
      notes.push(`${burst} emit/tick × ${contender.label}: ${out.note}`);
      console.log(`  broadcast, ${burst} emit/tick × ${contender.label}: ${int(out.value)} msgs/s`);
    } catch (err) {
      console.log(`  broadcast, ${burst} emit/tick × ${contender.label}: ERROR ${err.message}`);
    }
  }
}
console.log('');
console.log(`| scenario | ${contenders.map((c) => c.label).join(' | ')} | switchyard / socket.io | classic / socket.io |`);
console.log(`|---|${contenders.map(() => '---:').join('|')}|---:|---:|`);
for (const burst of bursts) {
  const row = results[burst] ?? {};
  const ratio = (id) => (row[id] !== undefined && row.socketio ? `${(row[id] / row.socketio).toFixed(2)}×` : 'n/a');
  const cells = contenders.map((c) => (row[c.id] === undefined ? 'error' : int(row[c.id])));
  console.log(`| broadcast to ${config.clients} over 2 nodes, ${burst} emit/tick (msgs/s) | ${cells.join(' | ')} | ${ratio('switchyard')} | ${ratio('switchyard-classic')} |`);
}
console.log('\nnotes:');
for (const note of notes) console.log(`- ${note}`);
