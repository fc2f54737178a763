// The short form of `pnpm soak`: 300 clients of every generation and transport for 10 s with 1 s
// heartbeats and a broadcast every 100 ms. No timing is asserted: only that nobody was disconnected and
// every tick reached every client in order.
import { expect, it } from 'vitest';
import { runScript } from './run-script.js';

interface SoakSummary {
  achieved: number;
  sent: number;
  total: { inRoom: number; delivered: number; short: number; outOfOrder: number; disconnects: number };
  groups: Record<string, { clients: number }>;
  failures: string[];
}

it('holds 300 clients of every generation through heartbeats and a room broadcast, delivering every tick', async () => {
  const args = ['--ws', '240', '--polling', '60', '--duration', '10000', '--ping-interval', '1000', '--broadcast-ms', '100', '--processes', '1'];
  const run = await runScript<SoakSummary>('soak.mjs', args, 'SOAK');
  expect(run.summary?.failures, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  const summary = run.summary!;
  expect(summary.achieved).toBe(300);
  expect(Object.keys(summary.groups)).toHaveLength(6);
  expect(summary.sent).toBeGreaterThan(0);
  expect(summary.total).toEqual({ inRoom: 300, delivered: 300 * summary.sent, short: 0, outOfOrder: 0, disconnects: 0 });
}, 240_000);
