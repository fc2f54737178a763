// `pnpm fuzz:wire [--seed S] [--runs N | --duration MS] [--concurrency C] [--heap-bound-mb MB]`
//
// Starts a Switchyard Server in a child process, keeps six well-behaved clients (every generation, over
// websocket and polling) echoing with acks, and meanwhile sends mutated valid traffic of every generation
// over real sockets (fuzz/fuzz-cases.mjs). Fails (exit 1) when the server process dies, a good client
// misses an ack or is disconnected, the fuzz sessions are not all closed afterwards, or the server's heap
// after gc grew past the bound. Prints the seed (replay with --seed), inputs per generation, the sessions
// the server closed with their reason and error code, HTTP answers, acks and the heap before and after.
// The last line is `FUZZ-SUMMARY <json>` for scripts.
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { startGoodClients } from './good-clients.mjs';
import { startTarget } from './target-process.mjs';
import { fuzzCase } from './fuzz/fuzz-cases.mjs';
import { newTally, runCase } from './fuzz/fuzz-deliver.mjs';
import { pollingAgent } from './wire/wire-links.mjs';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string' },
    duration: { type: 'string', default: '60000' },
    concurrency: { type: 'string', default: '8' },
    'heap-bound-mb': { type: 'string', default: '16' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed);
const runs = values.runs === undefined ? Infinity : Number(values.runs);
const duration = values.runs === undefined ? Number(values.duration) : Infinity;
const concurrency = Number(values.concurrency);
const heapBound = Number(values['heap-bound-mb']) * 1024 * 1024;
if (!Number.isSafeInteger(seed) || !(runs > 0) || !(duration > 0) || !(concurrency > 0) || !(heapBound > 0)) {
  console.error('usage: pnpm fuzz:wire [--seed <int>] [--runs <n> | --duration <ms>] [--concurrency <n>] [--heap-bound-mb <mb>]');
  process.exit(2);
}
console.log(`wire fuzz: seed ${seed}, ${runs === Infinity ? `${duration} ms` : `${runs} cases`}, ${concurrency} at once (replay with --seed ${seed})`);

// Heartbeats every second; timeouts long enough that a good client survives a loaded machine, short
// enough that abandoned fuzz sessions are reaped within the drain wait below.
const SERVER_OPTIONS = {
  pingInterval: 1000,
  pingTimeout: 10_000,
  connectTimeout: 5000,
  upgradeTimeout: 2000,
  protocol09: { heartbeatInterval: 1000, heartbeatTimeout: 12_000, closeTimeout: 10_000, pollingDuration: 1000 },
};
const DRAIN_MS = 45_000;
const BATCH = 100;

const failures = [];
let serverDied;
const target = await startTarget(SERVER_OPTIONS, {
  onExit: (how) => {
    serverDied = how;
    failures.push(`the server process died (${how.code ?? how.signal})`);
  },
});
const good = await startGoodClients(target.port);
await new Promise((r) => setTimeout(r, 1000));
const before = await target.stats();

const tally = newTally();
const started = Date.now();
let sent = 0;
for (let batch = 0; sent < runs && Date.now() - started < duration && failures.length === 0 && good.failures.length === 0; batch++) {
  const cases = fc.sample(fuzzCase, { seed: seed + batch, numRuns: Math.min(BATCH, runs - sent) });
  let next = 0;
  const worker = async () => {
    while (next < cases.length && serverDied === undefined) {
      const c = cases[next++];
      await runCase(target.port, c, tally).catch((err) => tally.openErrors.length < 10 && tally.openErrors.push(`${c.generation}: ${err.message}`));
      sent++;
      if (Date.now() - started >= duration) return;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
const fuzzMs = Date.now() - started;

// Every fuzz session must end (closed by the client, or by the server on a protocol error or a timeout)
// while the good clients keep going.
let after;
if (serverDied === undefined) {
  const deadline = Date.now() + DRAIN_MS;
  for (;;) {
    after = await target.stats();
    if (after.sessions + after.legacySessions <= good.count || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (after.sessions + after.legacySessions > good.count) {
    failures.push(`${after.sessions + after.legacySessions - good.count} fuzz sessions still open ${DRAIN_MS / 1000} s after the fuzz`);
  }
  const growth = after.heapUsed - before.heapUsed;
  if (growth > heapBound) failures.push(`heap after gc grew by ${mb(growth)} MB (bound ${mb(heapBound)} MB)`);
}
await good.stop();
failures.push(...good.failures);
await target.stop();
pollingAgent.destroy();

function mb(bytes) {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

const summary = {
  seed,
  cases: sent,
  ms: fuzzMs,
  perGeneration: Object.fromEntries(['eio4', 'eio3', '0.9'].map((g) => [g, tally[g]])),
  openErrors: tally.openErrors,
  serverClosed: after?.closes,
  sessionsOpened: after?.opened,
  goodAcks: good.figures,
  heapBefore: before.heapUsed,
  heapAfter: after?.heapUsed,
  rssAfter: after?.rss,
  eventLoop: after?.eventLoop,
  failures,
};
console.log(`\n${sent} cases in ${(fuzzMs / 1000).toFixed(1)} s`);
for (const g of ['eio4', 'eio3', '0.9']) {
  const t = tally[g];
  console.log(`  ${g.padEnd(4)}  cases ${t.cases}, inputs ${t.inputs}, handshakes that failed ${t.failedOpens}, answers ${JSON.stringify(t.statuses)}`);
}
console.log(`sessions the server opened: ${after?.opened}; closed, by generation, reason and code:`);
for (const [key, n] of Object.entries(after?.closes ?? {}).sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(6)}  ${key}`);
console.log(`good clients' acks: ${Object.entries(good.figures).map(([k, v]) => `${k} ${v.acks}`).join(', ')}`);
console.log(`server heap after gc: ${mb(before.heapUsed)} MB before, ${after === undefined ? '?' : mb(after.heapUsed)} MB after (bound +${mb(heapBound)} MB); rss ${after === undefined ? '?' : mb(after.rss)} MB; event-loop delay p50 ${after?.eventLoop.p50} ms, p99 ${after?.eventLoop.p99} ms`);
if (tally.openErrors.length > 0) console.log(`driver errors (first ${tally.openErrors.length}):\n  ${tally.openErrors.join('\n  ')}`);
console.log(failures.length === 0 ? 'PASS' : `FAIL:\n  ${failures.join('\n  ')}\n(replay with --seed ${seed})`);
console.log(`FUZZ-SUMMARY ${JSON.stringify(summary)}`);
process.exit(failures.length === 0 ? 0 : 1);
