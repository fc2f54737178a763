// `pnpm fuzz [--runs N] [--seed S]`: runs test/fuzz/fuzz.test.ts with a million inputs per decoder (by default)
// and a random seed (printed, so a failure can be replayed with --seed), printing what each decoder did.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000000' }, seed: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: pnpm fuzz [--runs <positive integer>] [--seed <integer>]');
  process.exit(2);
}
console.log(`fuzzing every decoder: seed ${seed}, ${runs} inputs each (replay with --seed ${seed})`);
const child = spawn('pnpm', ['exec', 'vitest', 'run', 'test/fuzz/fuzz.test.ts', '--silent=false'], {
  cwd: new URL('..', import.meta.url),
  env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: String(seed) },
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
