// `pnpm test`: builds, then runs lint, typecheck and test across the workspace (two tasks at a time, going
// on past failures), and ends with one line adding up every test runner's counts: vitest's
// `Tests  N passed | M failed` and node --test's `# pass N` / `# fail N` (ℹ with the spec reporter).
// Arguments go to the second turbo run (`pnpm test --filter=@switchyard/express`).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const ANSI = /\x1b\[[0-9;]*m/g;
const VITEST = /^\S*:test:\s+Tests\s{2,}(.*)$/;
const NODE_TEST = /^\S*:test:\s+[#ℹ] (pass|fail) (\d+)\s*$/;

const counts = { passed: 0, failed: 0 };
const failedTasks = new Set();

function count(line) {
  const clean = line.replace(ANSI, '');
  const vitest = VITEST.exec(clean);
  if (vitest) {
    counts.passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
    counts.failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
  }
  const node = NODE_TEST.exec(clean);
  if (node) counts[node[1] === 'pass' ? 'passed' : 'failed'] += Number(node[2]);
  // turbo's own report of a task that failed: `@switchyard/koa:lint: ERROR: command finished with error: …`.
  const task = /^(\S+):(lint|typecheck|test): ERROR: command finished with error/.exec(clean);
  if (task) failedTasks.add(`${task[1]}#${task[2]}`);
}

function run(args, onLine) {
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['exec', 'turbo', ...args], { stdio: ['inherit', onLine ? 'pipe' : 'inherit', onLine ? 'pipe' : 'inherit'] });
    if (onLine) {
      for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
        createInterface({ input: stream }).on('line', (line) => {
          out.write(`${line}\n`);
          onLine(line);
        });
      }
    }
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const built = await run(['run', 'build']);
if (built !== 0) {
  console.log('\n0 passed, 0 failed (the build failed, nothing was tested)');
  process.exit(built);
}
const status = await run(['run', 'lint', 'typecheck', 'test', '--concurrency=2', '--continue', ...process.argv.slice(2)], count);
const tasks = failedTasks.size > 0 ? ` (failed tasks: ${[...failedTasks].sort().join(', ')})` : '';
console.log(`\n${counts.passed} passed, ${counts.failed} failed${tasks}`);
process.exit(status);
