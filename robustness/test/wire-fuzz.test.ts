// The short form of `pnpm fuzz:wire`: 150 cases of a fixed seed (a few seconds). The script itself fails
// when the server process dies, a good client misses an ack or is disconnected, a fuzz session stays open, or the
// heap grows past its bound; here we also check the fuzz reached every generation's parsers.
import { expect, it } from 'vitest';
import { runScript } from './run-script.js';

interface Generation {
  cases: number;
  inputs: number;
  failedOpens: number;
}
interface FuzzSummary {
  cases: number;
  perGeneration: Record<'eio4' | 'eio3' | '0.9', Generation>;
  serverClosed: Record<string, number>;
  goodAcks: Record<string, { acks: number }>;
  failures: string[];
}

it('the server survives mutated traffic of every generation while good clients keep their acks', async () => {
  const run = await runScript<FuzzSummary>('fuzz-wire.mjs', ['--seed', '20261206', '--runs', '150', '--concurrency', '4'], 'FUZZ');
  expect(run.summary?.failures, run.output).toEqual([]);
  expect(run.code, run.output).toBe(0);
  const summary = run.summary!;
  for (const generation of ['eio4', 'eio3', '0.9'] as const) {
    expect(summary.perGeneration[generation].inputs, generation).toBeGreaterThan(0);
    expect(summary.perGeneration[generation].failedOpens, generation).toBe(0);
    // Some of its inputs were protocol errors that closed that session (and only that one).
    const parseErrors = Object.entries(summary.serverClosed).filter(([key]) => key.startsWith(`${generation} parse error`));
    expect(parseErrors.length, `${generation} closes: ${JSON.stringify(summary.serverClosed)}`).toBeGreaterThan(0);
  }
  expect(Object.keys(summary.goodAcks)).toHaveLength(6);
  for (const [name, { acks }] of Object.entries(summary.goodAcks)) expect(acks, name).toBeGreaterThan(0);
}, 180_000);
