// The leak run: connect/disconnect cycles of every generation and transport, then the server's heap after
// GC must be back within 10% of its baseline (taken after a warm-up) and its active handles and timers
// exactly back. LEAK_CYCLES cycles (2,000 in the test command; `pnpm leak` runs 100,000).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LeakServer, type Measure, report, resourceChanges, runCycles, startLeakServer } from './leak-cycles.js';

const CYCLES = Number(process.env.LEAK_CYCLES ?? 2000);
/** Concurrent cycles per generation and transport. */
const PER_CASE = Number(process.env.LEAK_CONCURRENCY ?? 8);
const WARM_UP = Math.max(3000, Math.round(CYCLES / 10));

/** Progress on stderr, so that a long run shows where it is. */
function progress(line: string): void {
  process.stderr.write(`[leak] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

let server: LeakServer;
beforeAll(async () => {
  server = await startLeakServer();
});
afterAll(async () => {
  await server?.stop();
});

it(`leaves no heap, handle or timer behind after ${CYCLES} connect/disconnect cycles`, { timeout: 180_000 + CYCLES * 40 }, async () => {
  const warmUp = await runCycles(server.url, WARM_UP, PER_CASE);
  expect(warmUp.failures).toEqual([]);
  progress(`warm-up: ${WARM_UP} cycles in ${(warmUp.ms / 1000).toFixed(1)} s`);
  const baseline: Measure = await server.measure();
  progress('baseline taken');
  const run = await runCycles(server.url, CYCLES, PER_CASE, undefined, progress);
  const after = await server.measure();
  console.log(report(run, baseline, after));

  expect(run.failures).toEqual([]);
  expect(after.sessions).toBe(0);
  expect(after.connections).toBe(0);
  expect(resourceChanges(baseline.resources, after.resources)).toEqual([]);
  expect(after.heap).toBeLessThanOrEqual(baseline.heap * 1.1);
});
