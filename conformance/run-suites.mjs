// Runs the official protocol test suites against Switchyard's conformance servers.
//
//   pnpm conformance -- --engine-io <checkout or bare repo> --socket-io <checkout or bare repo>
//
// Each source is a checkout of socketio/engine.io-protocol or socketio/socket.io-protocol, either a
// folder holding `test-suite/` or a git repository (bare or not) whose refs hold it. Engine.IO runs twice:
// its main branch (EIO4) and its `v3` branch (EIO3); `--engine-io-v3 <folder>` names a separate folder
// for the latter when the source is not a git repository. The suites are copied into a temporary folder
// outside this repository, get the pacing WebSocket of paced-node-imports.js, `npm ci`, and run under
// mocha against the matching server on port 3000 (hard-coded by the suites). Needs `pnpm build` first.
//
// `--socket-io-server <path>` runs socket.io's own server tests (packages/socket.io/test of a checkout or git
// repository of socketio/socket.io, at `--socket-io-server-ref`, default socket.io@4.8.3) against our drop-in
// package instead; see socket-io-server-suite.mjs. `--only socket.ts,close.ts` runs some of its files;
// `--reuse <dir>` sets it up in <dir> once and later runs skip the extraction and npm install.
// `--keep` (or CONFORMANCE_KEEP=1) leaves the temporary folder in place.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_REF, runSocketIoServerSuite } from './socket-io-server-suite.mjs';

const here = import.meta.dirname;
const PORT = 3000;
const busy = `port ${PORT} is busy: the official suites hard-code http://localhost:${PORT}; stop whatever listens there and retry`;
const usage = `usage: pnpm conformance -- [--engine-io <path>] [--engine-io-v3 <path>] [--socket-io <path>] [--keep]
         [--socket-io-server <path> [--socket-io-server-ref <ref>] [--only <file,...>] [--reuse <dir>]]
  <path>: a checkout with test-suite/, or a git repository (bare or not) with the suite's branches
  --socket-io-server <path>: a git repository of socketio/socket.io (read at <ref>, default ${DEFAULT_REF}),
      or a checkout holding packages/socket.io/test; runs that server suite against packages/socket.io
  --only <file,...>: run only these files of the server suite (e.g. socket.ts,namespaces)
  --reuse <dir>: set the server suite up in <dir>, or reuse it as it is when <dir>/node_modules exists
  SIO_SERVER_MODULE=<path>: run the server suite against that module instead (e.g. a real socket.io)`;

/** A bad argument or a refusal: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** One official suite: where its files come from and which of our servers it runs against. */
function suites(args) {
  const list = [];
  if (args['engine-io'] !== undefined) {
    list.push({ name: 'engine.io-protocol main (EIO4)', source: args['engine-io'], ref: 'main', server: 'eio4-server.mjs' });
  }
  const v3 = args['engine-io-v3'] ?? args['engine-io'];
  if (v3 !== undefined) {
    const explicit = args['engine-io-v3'] !== undefined;
    list.push({ name: 'engine.io-protocol v3 (EIO3)', source: v3, ref: 'v3', explicit, server: 'eio3-server.mjs' });
  }
  if (args['socket-io'] !== undefined) {
    list.push({ name: 'socket.io-protocol main (v5)', source: args['socket-io'], ref: 'main', server: 'sio5-server.mjs' });
  }
  return list;
}

function parseArgs(argv) {
  const args = { keep: process.env.CONFORMANCE_KEEP === '1' };
  const paths = new Set(['engine-io', 'engine-io-v3', 'socket-io', 'socket-io-server', 'reuse']);
  const values = new Set(['socket-io-server-ref', 'only']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.slice(2);
    if (arg === '--') continue;
    if (arg === '--keep') args.keep = true;
    else if (arg === '--help' || arg === '-h') args.help = true;
    else if (arg.startsWith('--') && paths.has(name) && argv[i + 1] !== undefined) {
      // pnpm runs scripts from the package folder; INIT_CWD is where the user typed the command
      args[name] = resolve(process.env.INIT_CWD ?? process.cwd(), argv[++i]);
    } else if (arg.startsWith('--') && values.has(name) && argv[i + 1] !== undefined) args[name] = argv[++i];
    else throw new UsageError(`unknown or incomplete argument: ${arg}`);
  }
  return args;
}

/** Runs a command; resolves with its exit code and, when `capture` is set, its stdout (also echoed). */
function run(command, args, { cwd, capture = false, quiet = false } = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', capture || quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk) => (err += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, out, err }));
  });
}

/** Whether `path` is itself a git repository (bare, or the top of a work tree), not a folder inside one. */
async function isGitRepository(path) {
  const bare = await run('git', ['-C', path, 'rev-parse', '--is-bare-repository'], { quiet: true });
  if (bare.code !== 0) return false;
  if (bare.out.trim() === 'true') return true;
  const top = await run('git', ['-C', path, 'rev-parse', '--show-toplevel'], { quiet: true });
  return top.code === 0 && (await realpath(top.out.trim())) === (await realpath(path));
}

/** The first of `ref`, `origin/<ref>` that the repository knows (a branch, a tag or a commit). */
async function resolveRef(repo, ref) {
  for (const candidate of [ref, `origin/${ref}`]) {
    const { code } = await run('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], { quiet: true });
    if (code === 0) return candidate;
  }
  throw new UsageError(`${repo} has no branch or tag ${ref} (nor origin/${ref})`);
}

/** Puts the suite's `test-suite/` folder into `dest` and returns the suite's folder. */
async function copySuite(suite, dest) {
  await mkdir(dest, { recursive: true });
  if (await isGitRepository(suite.source)) {
    const ref = await resolveRef(suite.source, suite.ref);
    const tar = join(dest, 'suite.tar');
    const archive = await run('git', ['-C', suite.source, 'archive', '--format=tar', `--output=${tar}`, ref, 'test-suite'], { quiet: true });
    if (archive.code !== 0) throw new Error(`git archive ${ref} test-suite failed in ${suite.source}: ${archive.err.trim()}`);
    const untar = await run('tar', ['-xf', tar, '-C', dest], { quiet: true });
    if (untar.code !== 0) throw new Error(`tar failed: ${untar.err.trim()}`);
    await rm(tar);
  } else if (suite.ref !== 'main' && !suite.explicit) {
    throw new UsageError(`${suite.source} is not a git repository: name a folder holding the ${suite.ref} branch with --engine-io-v3`);
  } else {
    // the repository's top folder, or its test-suite/ folder itself
    const from = existsSync(join(suite.source, 'test-suite.js')) ? suite.source : join(suite.source, 'test-suite');
    if (!existsSync(join(from, 'test-suite.js'))) throw new UsageError(`${suite.source} has no test-suite/test-suite.js`);
    await cp(from, join(dest, 'test-suite'), { recursive: true, filter: (path) => !path.includes('node_modules') });
  }
  const folder = join(dest, 'test-suite');
  await copyFile(join(here, 'paced-node-imports.js'), join(folder, 'node-imports.js'));
  return folder;
}

/** Whether anything listens on, or holds, the port the suites hard-code. */
async function portBusy(port) {
  const answers = await new Promise((done) => {
    const socket = createConnection({ host: 'localhost', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
  if (answers) return true;
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(true));
    probe.listen(port, () => probe.close(() => done(false)));
  });
}

/** Starts one of our conformance servers and resolves once it listens. */
function startServer(file) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(here, file)], {
      cwd: here,
      env: { ...process.env, PORT: String(PORT) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`${file} did not start within 10 s:\n${log}`)), 10_000);
    const onData = (chunk) => {
      log += chunk;
      if (!listening && /conformance server on/.test(log)) {
        listening = true;
        clearTimeout(timer);
        done(child);
      }
    };
    child.stdout.on('data', onData);
    // before it listens, its errors go into the message above; after, straight to the terminal
    child.stderr.on('data', (chunk) => (listening ? process.stderr.write(chunk) : (log += chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${file} exited with code ${code} before listening (did you run pnpm build?):\n${log}`));
    });
  });
}

function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Mocha's own epilogue counts ("24 passing", "1 pending", "2 failing"). */
function counts(output) {
  const count = (word) => Number([...output.matchAll(new RegExp(`^ *(\\d+) ${word}`, 'gm'))].at(-1)?.[1] ?? 0);
  return { passing: count('passing'), pending: count('pending'), failing: count('failing') };
}

async function runSuite(suite, workDir) {
  const dest = join(workDir, suite.name.replace(/[^a-z0-9]+/gi, '-'));
  console.log(`\n=== ${suite.name}: ${suite.source} (${suite.ref})`);
  const folder = await copySuite(suite, dest);
  const install = await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder });
  if (install.code !== 0) throw new Error(`npm ci failed in ${folder}`);
  if (await portBusy(PORT)) throw new Error(busy);
  const server = await startServer(suite.server);
  try {
    const mocha = await run(join(folder, 'node_modules', '.bin', 'mocha'), ['--retries', '2', 'test-suite.js'], { cwd: folder, capture: true });
    const result = counts(mocha.out);
    const ok = mocha.code === 0 && result.failing === 0 && result.passing > 0;
    return { ...result, ok, note: ok || result.failing > 0 ? '' : ` (mocha exited with code ${mocha.code})` };
  } finally {
    await stopServer(server);
  }
}

/** The server suite's part of main(): its summary lines, or one FAIL line when it could not run. */
async function runServerSuite(args, workDir) {
  const options = { source: args['socket-io-server'], ref: args['socket-io-server-ref'], only: args.only, reuse: args.reuse, workDir };
  try {
    return await runSocketIoServerSuite(options, { run, isGitRepository, resolveRef, counts, UsageError });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    console.error(error.message);
    return { ok: false, lines: [`FAIL socket.io server suite: ${error.message.split('\n')[0]}`] };
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const list = suites(args);
  const serverSuite = args['socket-io-server'] !== undefined || args.reuse !== undefined;
  if (args.help || (list.length === 0 && !serverSuite)) {
    console.log(usage);
    return args.help ? 0 : 2;
  }
  if (!serverSuite && (args['socket-io-server-ref'] !== undefined || args.only !== undefined)) {
    throw new UsageError('--socket-io-server-ref and --only go with --socket-io-server (or --reuse)');
  }
  // the server suite listens on ports of its own choosing; only the protocol suites need 3000
  if (list.length > 0 && (await portBusy(PORT))) throw new UsageError(busy);
  const workDir = await mkdtemp(join(tmpdir(), 'switchyard-conformance-'));
  const lines = [];
  let failed = false;
  try {
    for (const suite of list) {
      try {
        const r = await runSuite(suite, workDir);
        failed ||= !r.ok;
        lines.push(`${r.ok ? 'ok  ' : 'FAIL'} ${suite.name}: ${r.passing} passing, ${r.pending} pending, ${r.failing} failing${r.note}`);
      } catch (error) {
        failed = true;
        lines.push(`FAIL ${suite.name}: ${error.message.split('\n')[0]}`);
        console.error(error.message);
      }
    }
    if (serverSuite) {
      const r = await runServerSuite(args, workDir);
      failed ||= !r.ok;
      lines.push(...r.lines);
    }
  } finally {
    if (args.keep) console.log(`\nsuites kept in ${workDir}`);
    else {
      await rm(workDir, { recursive: true, force: true });
      // a --reuse folder is never removed; the temporary one takes the server suite's logs with it
      if (serverSuite && args.reuse === undefined) lines.push('(the server suite\'s folder and logs are removed: --keep keeps them)');
    }
  }
  console.log(`\n${lines.join('\n')}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error instanceof UsageError ? `conformance: ${error.message}\n${usage}` : error);
    process.exitCode = 2;
  },
);
