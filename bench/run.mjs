// The orchestrator: for every repetition, scenario and contender (interleaved: rep 1 of everything,
// then rep 2, ...), a fresh server process (with --expose-gc) and a fresh load process, pinned to
// separate cores when `taskset` exists, both ended when the scenario is over; then one table of
// medians with the spread. A benchmark, not a test: a missed target is reported, never a failure.
// `BENCH_QUICK=1` for a smoke run, `BENCH_REPS=n`, `BENCH_ONLY=<text>` to run the scenarios whose name has it,
// `BENCH_CONTENDERS=switchyard,ws` to run only those servers, `BENCH_SERVER_ARGS='--cpu-prof'` for
// more node flags in the server processes, `BENCH_PIN=0` to leave scheduling to the kernel. Every finished
// run is saved to BENCH_SAVE (a JSON file, if set); `BENCH_TABLE_FROM=<that file>` prints its table
// without running anything (for a run cut short). `BENCH_BASELINE=<checkout>` adds `switchyard-baseline`:
// the same server script on that checkout's built core, beside Switchyard wherever it runs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Child } from './child.mjs';
import { rows } from './rows.mjs';
import { config, scenarios } from './scenarios.mjs';

const here = (path) => new URL(path, import.meta.url);
const versionOf = (pkg) => JSON.parse(readFileSync(here(`./node_modules/${pkg}/package.json`), 'utf8')).version;

const BASE = 'switchyard-baseline';
const sio = `socket.io ${versionOf('socket.io')}`;
const contenders = {
  switchyard: { label: 'switchyard', server: here('./servers/switchyard.mjs') },
  socketio: { label: sio, server: here('./servers/socketio.mjs') },
  'socketio-eio3': { label: `${sio} allowEIO3`, server: here('./servers/socketio.mjs'), env: { BENCH_EIO3: '1' } },
  socketio09: { label: `socket.io ${versionOf('socket.io-09')}`, server: here('./servers/socketio09.mjs') },
  ws: { label: `ws ${versionOf('ws')} + JSON`, server: here('./servers/ws.mjs') },
};
if (process.env.BENCH_BASELINE) contenders[BASE] = baselineContender(process.env.BENCH_BASELINE);

function shell(cmd) {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/**
 * `BENCH_BASELINE=<checkout>`: the same switchyard server script, loading that checkout's built core
 * (its packages/core/dist, found through its package.json) instead of this workspace's.
 */
function baselineContender(dir) {
  const core = resolve(dir, 'packages/core');
  const pkg = JSON.parse(readFileSync(resolve(core, 'package.json'), 'utf8'));
  const entry = resolve(core, pkg.exports?.['.']?.import?.default ?? pkg.module ?? 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`BENCH_BASELINE: ${entry} is missing; install and build that checkout first`);
  let commit = '';
  try {
    commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: the label goes without a commit
  }
  return {
    label: `switchyard baseline${commit ? ` ${commit}` : ''}`,
    server: here('./servers/switchyard.mjs'),
    env: { BENCH_CORE: pathToFileURL(entry).href },
  };
}

const pinning = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2 && shell('command -v taskset') !== '';
const serverArgs = ['--expose-gc', ...(process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)];
const only = process.env.BENCH_CONTENDERS?.split(',');

/** One scenario against one contender, in fresh processes that are always ended afterwards. */
async function runOne(scenario, contender) {
  let server;
  let load;
  try {
    const pin = (cpu) => (pinning ? cpu : undefined);
    server = await Child.start(`${contender.label} server`, contender.server, { execArgv: serverArgs, env: contender.env, cpu: pin(0) });
    load = await Child.start('load client', here('./load.mjs'), { cpu: pin(1) });
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function num(n, unit) {
  if (unit === '×') return `${n.toFixed(2)}×`;
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
}

/** `median ±half-range%` over the repetitions, or the bare median for one repetition. */
function cell(values, unit) {
  if (values === undefined || values.length === 0) return '—';
  const m = median(values);
  if (values.length === 1 || m === 0) return num(m, unit);
  const spread = (Math.max(...values) - Math.min(...values)) / 2 / Math.abs(m);
  return `${num(m, unit)} ±${Math.round(spread * 100)}%`;
}

/** The table; with a baseline run in `results`, two more columns: its cell and switchyard ÷ baseline. */
function printTable(results, baseLabel) {
  const med = (id, who) => (results[id]?.[who]?.length ? median(results[id][who]) : undefined);
  const valuesOf = (row, who) => {
    if (!row.derive) return results[row.id]?.[who];
    const [a, b] = row.derive.map((id) => med(id, who));
    return a === undefined || b === undefined || b <= 0 ? undefined : [a / b];
  };
  const withBase = Object.values(results).some((byWho) => byWho[BASE]?.length);
  const head = ['figure', 'unit', 'switchyard', 'reference (same wire)', 'ws + JSON', 'sw / ref', 'sw / ws', 'target', 'result'];
  if (withBase) {
    head.splice(3, 0, baseLabel ?? 'baseline');
    head.splice(8, 0, 'sw / base');
  }
  const lines = rows.map((row) => {
    const sw = valuesOf(row, 'switchyard');
    const ref = row.ref && valuesOf(row, row.ref);
    const ws = valuesOf(row, 'ws');
    const m = (v) => (v?.length ? median(v) : undefined);
    const ratioTo = (v) => (m(sw) !== undefined && m(v) > 0 ? m(sw) / m(v) : undefined);
    const vsRef = ratioTo(ref);
    const vsWs = ratioTo(ws);
    const verdicts = (row.targets ?? []).map(({ vs, x }) => {
      const r = vs === 'self' ? m(sw) : vs === 'ws' ? vsWs : vsRef;
      const ok = r === undefined ? undefined : row.better === 'higher' ? r >= x : r <= x;
      return { text: `${row.better === 'higher' ? '≥' : '≤'} ${x}×${vs === 'ref' ? '' : vs === 'ws' ? ' ws' : ''}`, ok };
    });
    const refCell = ref ? `${cell(ref, row.unit)} (${contenders[row.ref].label.replace(/^socket\.io /, 'sio ')})` : '—';
    const verdict = verdicts.length === 0 ? '' : verdicts.some((v) => v.ok === undefined) ? 'n/a' : verdicts.every((v) => v.ok) ? 'met' : 'NOT MET';
    const show = (r) => (r === undefined ? '—' : `${r.toFixed(2)}×`);
    const line = [row.label, row.unit, cell(sw, row.unit), refCell, cell(ws, row.unit), show(vsRef), show(vsWs), verdicts.map((v) => v.text).join(', '), verdict];
    if (withBase) {
      const base = valuesOf(row, BASE);
      line.splice(3, 0, cell(base, row.unit));
      line.splice(8, 0, show(ratioTo(base)));
    }
    return line;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const numeric = (i) => i >= 2 && i < head.length - 2;
  const fmt = (cells) => `| ${cells.map((x, i) => (numeric(i) ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join(' | ')} |`;
  console.log(fmt(head));
  console.log(`|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const line of lines) console.log(fmt(line));
}

async function main() {
  if (process.env.BENCH_TABLE_FROM) {
    const saved = JSON.parse(readFileSync(process.env.BENCH_TABLE_FROM, 'utf8'));
    console.log(`${saved.header}\nsaved after ${saved.done} of ${saved.total} runs\n`);
    printTable(saved.results, saved.baseline);
    for (const line of saved.notes) console.log(`- ${line}`);
    return;
  }
  const limit = Number(shell('ulimit -n')) || NaN;
  const needed = config.memory.large + 200;
  const chosen = scenarios.filter((s) => s.name.includes(process.env.BENCH_ONLY ?? ''));
  const header =
    `switchyard bench, ${config.mode}, ${config.reps} interleaved repetition(s): node ${process.version}, ` +
      `${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}, open files ${limit}, ` +
      `${pinning ? 'server pinned to CPU 0, load to CPU 1 (taskset)' : 'no pinning (taskset missing or one CPU)'}, ` +
    `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${new Date().toISOString()}`;
  console.log(header);
  if (loadavg()[0] > 0.5) console.log('warning: the machine is busy; read the ratios within this run, not the absolute numbers.');
  if (limit < needed) console.log(`warning: ulimit -n is ${limit}; ${config.memory.large} connections want about ${needed}. Run through \`pnpm bench\`, which raises it.`);
  const results = {};
  const notes = [];
  const problems = [];
  const total = config.reps * chosen.reduce((n, s) => n + s.contenders.filter((c) => !only || only.includes(c)).length, 0);
  let done = 0;
  const save = () => {
    if (process.env.BENCH_SAVE) writeFileSync(process.env.BENCH_SAVE, JSON.stringify({ header, done, total, baseline: contenders[BASE]?.label, results, notes: [...notes, ...problems] }));
  };
  for (let rep = 1; rep <= config.reps; rep++) {
    for (const scenario of chosen) {
      for (const id of scenario.contenders.filter((c) => !only || only.includes(c))) {
        const contender = contenders[id];
        const started = Date.now();
        const out = await runOne(scenario, contender);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        const tag = `[${rep}/${config.reps}] ${scenario.name} × ${contender.label}`;
        done++;
        if (out.error !== undefined) {
          console.log(`  ${tag}: ERROR after ${secs} s`);
          problems.push(`${tag}:\n${out.error}`);
          save();
          continue;
        }
        for (const [row, value] of Object.entries(out.values)) ((results[row] ??= {})[id] ??= []).push(value);
        console.log(`  ${tag}: ${out.notes[0]} (${secs} s)`);
        for (const note of out.notes) if (/SATURATED|BEHIND|stderr|never|only/.test(note)) notes.push(`${tag}: ${note}`);
        save();
      }
    }
  }
  console.log(`\nmedians of ${config.reps} run(s), ±half the range; CPU is the server process's user+system time (process.cpuUsage)\n`);
  printTable(results, contenders[BASE]?.label);
  if (notes.length > 0) {
    console.log('\nnotes:');
    for (const note of notes) console.log(`- ${note}`);
  }
  if (problems.length > 0) {
    console.log('\nproblems:');
    for (const problem of problems) console.log(`- ${problem}`);
  }
  // The end of the IPC channels ends the children; nothing else should hold the event loop.
  process.exitCode = 0;
}

await main();
