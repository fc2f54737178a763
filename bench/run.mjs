// The orchestrator: for every scenario and every contender, a fresh server process (with --expose-gc)
// and a fresh load process, both forked and both ended when the scenario is over; then one table.
// A benchmark, not a test: a missed target is reported, never a failure. `BENCH_QUICK=1` for a smoke run.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Child } from './child.mjs';
import { config, rows, scenarios } from './scenarios.mjs';

const here = (path) => new URL(path, import.meta.url);
const versionOf = (pkg) => JSON.parse(readFileSync(here(`./node_modules/${pkg}/package.json`), 'utf8')).version;

const contenders = [
  { id: 'switchyard', label: 'switchyard', server: here('./servers/switchyard.mjs'), echoClient: 'sio' },
  { id: 'socketio', label: `socket.io ${versionOf('socket.io')}`, server: here('./servers/socketio.mjs'), echoClient: 'sio' },
  { id: 'ws', label: 'ws', server: here('./servers/ws.mjs'), echoClient: 'ws' },
];

function fdLimit() {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return NaN;
  }
}

/** One scenario against one contender, in fresh processes that are always ended afterwards. */
async function runOne(scenario, contender) {
  let server;
  let load;
  try {
    server = await Child.start(`${contender.id} server`, contender.server, { execArgv: ['--expose-gc'] });
    load = await Child.start('load client', here('./load.mjs'));
    const out = await scenario.run({ server, load, contender });
    // Anything a process wrote to stderr (a warning, a stack) is worth seeing even when the numbers came.
    for (const child of [server, load]) {
      const text = child.stderr.trim();
      if (text) out.notes.push(`${child.name} wrote to stderr: ${text.split('\n').slice(0, 6).join(' | ')}`);
    }
    return out;
  } catch (err) {
    const stderr = [server, load]
      .filter((child) => child?.stderr.trim())
      .map((child) => `--- ${child.name} (pid ${child.pid}) stderr ---\n${child.stderr.trimEnd()}`);
    return { error: [err.message, ...stderr].join('\n') };
  } finally {
    await Promise.all([server?.stop(), load?.stop()]);
  }
}

const int = (n) => Math.round(n).toLocaleString('en-US');
const times = (n) => `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}×`;

function cell(results, row, contender) {
  const value = results[row.id]?.[contender];
  return value === undefined ? 'error' : int(value);
}

function ratio(results, row, a, b) {
  const x = results[row.id]?.[a];
  const y = results[row.id]?.[b];
  if (x === undefined || y === undefined || y <= 0 || x < 0) return undefined;
  return x / y;
}

function printTable(results) {
  const head = ['scenario', ...contenders.map((c) => c.label), `switchyard / ${contenders[1].label}`, 'switchyard / ws', 'target', 'result'];
  const lines = rows.map((row) => {
    const vsSio = ratio(results, row, 'switchyard', 'socketio');
    const vsWs = ratio(results, row, 'switchyard', 'ws');
    let target = '—';
    let verdict = '—';
    if (row.target !== undefined) {
      target = `${row.better === 'higher' ? '≥' : '≤'} ${row.target}×`;
      if (vsSio === undefined) verdict = 'n/a';
      else verdict = (row.better === 'higher' ? vsSio >= row.target : vsSio <= row.target) ? 'met' : 'not met';
    }
    const show = (r) => (r === undefined ? 'n/a' : times(r));
    return [row.label, ...contenders.map((c) => cell(results, row, c.id)), show(vsSio), show(vsWs), target, verdict];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const numeric = (i) => i > 0 && i < head.length - 1;
  const fmt = (cells) => `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const line of lines) console.log(fmt(line));
}

async function main() {
  const limit = fdLimit();
  const needed = config.memory.connections * 2 + 200;
  console.log(
    `switchyard bench, ${config.mode}: node ${process.version}, ${contenders[1].label}, ws ${versionOf('ws')}, ` +
      `socket.io-client ${versionOf('socket.io-client')}, ${availableParallelism()} CPUs, open files ${limit}, ` +
      `load average ${loadavg()[0].toFixed(2)}`,
  );
  if (loadavg()[0] > 0.5) console.log('warning: the machine was busy over the last minute; other processes running now would skew these numbers.');
  if (limit < needed) {
    console.log(`warning: ulimit -n is ${limit}; ${config.memory.connections} connections want about ${needed}. Run through \`pnpm bench\`, which raises it.`);
  }
  const results = {};
  const notes = [];
  const problems = [];
  for (const scenario of scenarios) {
    for (const contender of contenders) {
      const started = Date.now();
      const out = await runOne(scenario, contender);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (out.error !== undefined) {
        console.log(`  ${scenario.name} × ${contender.label}: ERROR after ${secs} s`);
        problems.push(`${scenario.name} × ${contender.label}:\n${out.error}`);
        continue;
      }
      for (const [row, value] of Object.entries(out.values)) (results[row] ??= {})[contender.id] = value;
      const shown = scenario.rows.map((row) => int(out.values[row])).join(' / ');
      console.log(`  ${scenario.name} × ${contender.label}: ${shown} (${secs} s)`);
      for (const note of out.notes) notes.push(`${scenario.name} × ${contender.label}: ${note}`);
    }
  }
  console.log('');
  printTable(results);
  console.log('\nnotes:');
  for (const note of notes) console.log(`- ${note}`);
  if (problems.length > 0) {
    console.log('\nproblems:');
    for (const problem of problems) console.log(`- ${problem}`);
  }
}

await main();
