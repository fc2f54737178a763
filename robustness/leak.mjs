// `pnpm leak [--cycles N] [--concurrency C]`: runs test/leak.test.ts with 100,000 connect/disconnect cycles
// (by default) spread over every generation and transport, C at a time per generation and transport, and
// prints the figures: cycles per generation, heap after GC before and after, active handles and timers.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { cycles: { type: 'string', default: '100000' }, concurrency: { type: 'string', default: '8' } } });
const cycles = Number(values.cycles);
const concurrency = Number(values.concurrency);
if (!Number.isSafeInteger(cycles) || cycles < 6 || !Number.isSafeInteger(concurrency) || concurrency < 1) {
  console.error('usage: pnpm leak [--cycles <at least 6>] [--concurrency <positive integer>]');
  process.exit(2);
}
console.log(`leak run: ${cycles} cycles, ${concurrency} at a time per generation and transport`);
const child = spawn('pnpm', ['exec', 'vitest', 'run', 'test/leak.test.ts', '--silent=false'], {
  cwd: new URL('.', import.meta.url),
  env: { ...process.env, LEAK_CYCLES: String(cycles), LEAK_CONCURRENCY: String(concurrency) },
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
