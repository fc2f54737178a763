// Property-based fuzzing of every decoder of the wire (issue 14): any input decodes or is refused with a
// ProtocolError, and what decodes re-encodes to the same value. A few seconds here with a fixed seed;
// `pnpm fuzz` runs a million inputs per decoder with a random seed (FUZZ_RUNS, FUZZ_SEED).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targets } from './targets.js';

const runs = Number(process.env['FUZZ_RUNS'] ?? 3000);
const seed = Number(process.env['FUZZ_SEED'] ?? 1414);
const report = process.env['FUZZ_RUNS'] !== undefined;

describe(`fuzzing every decoder (seed ${seed}, ${runs} inputs each)`, () => {
  for (const target of targets) {
    it(target.name, { timeout: 0 }, () => {
      const counts = { inputs: 0, decoded: 0, refused: 0, failures: 0 };
      const failures: string[] = [];
      fc.assert(
        fc.property(target.input, (input) => {
          counts.inputs++;
          try {
            counts[target.run(input)]++;
          } catch (err) {
            counts.failures++;
            if (failures.length < 3) failures.push(`${fc.stringify(input)}\n    -> ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          }
        }),
        { seed, numRuns: runs },
      );
      if (report) {
        const { inputs, decoded, refused, failures: failed } = counts;
        console.log(`${target.name}: inputs ${inputs}, decoded ${decoded}, refused with a protocol error ${refused}, failures ${failed}`);
      }
      expect(failures).toEqual([]);
      expect(counts.inputs).toBe(runs);
    });
  }
});
