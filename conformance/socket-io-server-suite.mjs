// Runs socket.io's own server test suite (packages/socket.io/test of the socketio/socket.io monorepo)
// against Switchyard's drop-in package, packages/socket.io. run-suites.mjs calls it for
// `--socket-io-server <path>`; see there for the options.
//
// The tests import the server as ".." (and "../.." from test/fixtures/, test/support/) and compare the
// version in "../package.json" with the one the served client bundle carries, so they go into a scratch
// package that stands where the real socket.io package would: its package.json is named socket.io with the
// version of the ref, and its index.js re-exports our CommonJS build. Each test file runs in a mocha of its
// own with the suite's settings (minus --bail, so every failure is counted), one at a time, and its whole
// output goes to logs/<file>.log in the scratch folder.
//
// Developer option: SIO_SERVER_MODULE=<path> makes index.js require that module instead of our build, e.g.
// the folder of an installed socket.io@4.8.3, to see what the reference server scores in the same setup.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { seededRandom } from '@switchyard/testing';

const here = import.meta.dirname;
export const DEFAULT_REF = 'socket.io@4.8.3';
const PACKAGE = 'packages/socket.io';
const DROP_IN = resolve(here, '..', 'packages', 'socket.io', 'dist', 'index.cjs');
// uws.ts needs uWebSockets.js, which is not on npm; socket.io.test-d.ts is a tsd types test; index.ts
// only imports the others (which run one by one here instead).
const SKIPPED = new Set(['index.ts', 'uws.ts', 'socket.io.test-d.ts']);
// The monorepo keeps these blobs out of some mirrors; the tests only need them large and of the right kind.
const STAND_INS = { 'test/fixtures/big.json': bigJson, 'test/fixtures/big.jpg': bigJpeg };
// What the tests import, with the versions of socket.io@4.8.3; devDependencies() prefers the ref's own.
const FALLBACK_DEV_DEPENDENCIES = {
  'expect.js': '^0.3.1',
  mocha: '^10.6.0',
  'socket.io-adapter': '~2.5.2',
  'socket.io-client': '4.8.3',
  'socket.io-client-v2': 'npm:socket.io-client@^2.5.0',
  superagent: '^9.0.2',
  supertest: '^7.0.0',
  tsx: '~4.20.6',
};

/** The module the scratch package re-exports: our build, or SIO_SERVER_MODULE for comparisons. */
function serverModule() {
  const override = process.env.SIO_SERVER_MODULE;
  if (!override) return DROP_IN;
  return resolve(process.env.INIT_CWD ?? process.cwd(), override);
}

/** Runs a command with stdout (and stderr, unless `stderr: 'ignore'`) going straight into `file`: binary-safe, and
 * a log keeps the two streams interleaved as they came. Resolves with the exit code. */
async function runToFile(command, args, file, { cwd, stderr = 'file' } = {}) {
  await mkdir(dirname(file), { recursive: true });
  const handle = await open(file, 'w');
  try {
    return await new Promise((done, fail) => {
      const child = spawn(command, args, { cwd, stdio: ['ignore', handle.fd, stderr === 'file' ? handle.fd : 'ignore'] });
      child.on('error', fail);
      child.on('close', (code) => done(code ?? 1));
    });
  } finally {
    await handle.close();
  }
}

/** Where the suite comes from: a git repository read at `ref`, or the work tree of a checkout. */
async function openSource(path, ref, tools) {
  if (await tools.isGitRepository(path)) {
    const commit = await tools.resolveRef(path, ref);
    return {
      label: `${path} at ${commit}`,
      text: async (file) => {
        const show = await tools.run('git', ['-C', path, 'show', `${commit}:${file}`], { quiet: true });
        return show.code === 0 ? show.out : undefined;
      },
      copyTests: (dest) => extractTests(path, commit, dest, tools),
    };
  }
  // the monorepo's top folder, or its packages/socket.io itself
  const pkg = existsSync(join(path, PACKAGE, 'test')) ? join(path, PACKAGE) : path;
  if (!existsSync(join(pkg, 'test', 'socket.ts'))) throw new tools.UsageError(`${path} has no ${PACKAGE}/test/socket.ts`);
  const root = pkg === path ? resolve(path, '..', '..') : path;
  return {
    label: `${pkg} (work tree)`,
    text: (file) => readFile(join(root, file), 'utf8').catch(() => undefined),
    copyTests: async (dest) => {
      await cp(join(pkg, 'test'), join(dest, 'test'), { recursive: true });
      return [];
    },
  };
}

/** Writes packages/socket.io/test of `commit` into `dest`/test, file by file: `git archive` gives up on the first
 * blob a partial mirror lacks. Resolves with the files it could not read. */
async function extractTests(repo, commit, dest, tools) {
  const list = await tools.run('git', ['-C', repo, 'ls-tree', '-r', '-z', '--name-only', commit, `${PACKAGE}/test`], { quiet: true });
  if (list.code !== 0) throw new Error(`git ls-tree ${commit} ${PACKAGE}/test failed in ${repo}: ${list.err.trim()}`);
  const missing = [];
  for (const file of list.out.split('\0').filter(Boolean)) {
    const relative = file.slice(PACKAGE.length + 1);
    const target = join(dest, relative);
    if ((await runToFile('git', ['-C', repo, 'show', `${commit}:${file}`], target, { stderr: 'ignore' })) === 0) continue;
    // the empty file git left would pass for the fixture
    await rm(target, { force: true });
    missing.push(relative);
  }
  return missing;
}

/** Bytes from the test kit's seeded generator, so stand-ins are the same on every run. */
function randomBytes(seed) {
  const random = seededRandom(seed);
  return () => Math.floor(random() * 256);
}

/** ~300 KB of JSON records: "should handle very large json" sends it back and forth three times, and it has to
 * stay under the default maxHttpBufferSize (1e6 bytes) as a single message. */
function bigJson() {
  const next = randomBytes(1);
  const records = [];
  let size = 0;
  for (let id = 0; size < 300_000; id++) {
    const record = {
      id,
      name: `user-${id}`,
      email: `user-${id}@example.com`,
      active: next() % 2 === 0,
      score: next() * 257 + next(),
      tags: Array.from({ length: 1 + (next() % 4) }, () => `tag-${next()}`),
      address: { street: `${next()} Main Street`, city: `City ${next()}`, zip: String(10_000 + next() * 300) },
    };
    records.push(record);
    size += JSON.stringify(record).length + 1;
  }
  return JSON.stringify(records, null, 1);
}

/** ~300 KB shaped like a JPEG (SOI and JFIF header, random payload, EOI): the test only checks it arrives as a
 * Buffer, and base64 over polling (4/3 of it) stays under the default maxHttpBufferSize. */
function bigJpeg() {
  const next = randomBytes(2);
  const header = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const bytes = Buffer.alloc(300_000);
  bytes.set(header);
  for (let i = header.length; i < bytes.length - 2; i++) bytes[i] = next();
  bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

/** The tests' imports, at the versions the ref itself used (its root package.json for tools, the package's own
 * dependency on socket.io-adapter, and the client released with it), or those of 4.8.3 where it says nothing. */
async function devDependencies(source) {
  const json = async (file) => JSON.parse((await source.text(file)) ?? '{}');
  const root = (await json('package.json')).devDependencies ?? {};
  const server = (await json(`${PACKAGE}/package.json`)).dependencies ?? {};
  const client = (await json('packages/socket.io-client/package.json')).version;
  const picked = { ...FALLBACK_DEV_DEPENDENCIES };
  for (const name of Object.keys(picked)) picked[name] = root[name] ?? server[name] ?? picked[name];
  if (client) picked['socket.io-client'] = client;
  return picked;
}

/** Fills `folder` with the scratch package, the tests and their stand-in fixtures, and installs it. */
async function setUp(folder, source) {
  await mkdir(folder, { recursive: true });
  const missing = await source.copyTests(folder);
  for (const [file, make] of Object.entries(STAND_INS)) {
    if (existsSync(join(folder, file))) continue;
    await writeFile(join(folder, file), make());
    console.log(`${file}: not in the source, generated a stand-in`);
  }
  const lost = missing.filter((file) => !(file in STAND_INS));
  if (lost.length > 0) console.warn(`could not read from the source (tests using them will fail): ${lost.join(', ')}`);
  const version = JSON.parse((await source.text(`${PACKAGE}/package.json`)) ?? '{}').version ?? DEFAULT_REF.split('@')[1];
  const pkg = { name: 'socket.io', version, private: true, main: 'index.js', devDependencies: await devDependencies(source) };
  await writeFile(join(folder, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const log = join(folder, 'logs', 'npm-install.log');
  console.log(`npm install (log: ${log})`);
  const install = await runToFile('npm', ['install', '--no-audit', '--no-fund'], log, { cwd: folder });
  if (install !== 0) throw new Error(`npm install failed in ${folder}: see ${log}`);
}

/** The test files to run: all but SKIPPED, or those `--only` names (with or without .ts). */
async function testFiles(folder, only, tools) {
  const all = (await readdir(join(folder, 'test'))).filter((file) => file.endsWith('.ts')).sort();
  if (only === undefined) return all.filter((file) => !SKIPPED.has(file));
  const wanted = only.split(',').filter(Boolean).map((name) => (name.endsWith('.ts') ? name : `${name}.ts`));
  const unknown = wanted.filter((file) => !all.includes(file));
  if (unknown.length > 0) throw new tools.UsageError(`--only: no test/${unknown.join(', test/')} (there are ${all.join(', ')})`);
  return wanted;
}

async function runFile(folder, file, tools) {
  const log = join(folder, 'logs', `${file}.log`);
  const mocha = join(folder, 'node_modules', '.bin', 'mocha');
  const args = ['--import=tsx', '--reporter', 'spec', '--slow', '200', '--timeout', '10000', '--exit', `test/${file}`];
  const code = await runToFile(mocha, args, log, { cwd: folder });
  const result = tools.counts(await readFile(log, 'utf8'));
  const ok = code === 0 && result.failing === 0 && result.passing > 0;
  let note = '';
  if (!ok && result.passing + result.pending + result.failing === 0) note = ` (mocha exited with code ${code} before counting: crashed?)`;
  else if (!ok && result.failing === 0) note = ` (mocha exited with code ${code})`;
  const line = `${ok ? 'ok  ' : 'FAIL'} ${file}: ${result.passing} passing, ${result.pending} pending, ${result.failing} failing${note}`;
  console.log(`${line}\n     log: ${log}`);
  return { ...result, ok, line };
}

/**
 * Runs the suite; resolves with the summary lines and whether every file passed.
 * `tools` are run-suites.mjs's helpers (run, isGitRepository, resolveRef, counts, UsageError).
 */
export async function runSocketIoServerSuite({ source, ref = DEFAULT_REF, only, reuse, workDir }, tools) {
  const folder = reuse ?? join(workDir, 'socket.io-server');
  const target = serverModule();
  if (!existsSync(target)) {
    const hint = target === DROP_IN ? 'build packages/socket.io first (pnpm build), or set SIO_SERVER_MODULE' : 'check SIO_SERVER_MODULE';
    throw new Error(`${target} does not exist: ${hint}`);
  }
  console.log(`\n=== socket.io server suite against ${target}`);
  if (reuse !== undefined && existsSync(join(folder, 'node_modules'))) {
    console.log(`reusing ${folder} (its tests and node_modules as they are)`);
  } else if (source === undefined) {
    throw new tools.UsageError(`${folder} has no node_modules to reuse: name the suite's source with --socket-io-server`);
  } else {
    const from = await openSource(source, ref, tools);
    console.log(`setting up ${folder} from ${from.label}`);
    await setUp(folder, from);
  }
  // rewritten on every run, so a reused folder follows SIO_SERVER_MODULE and the checkout running it
  await writeFile(join(folder, 'index.js'), `module.exports = require(${JSON.stringify(target)});\n`);
  const results = [];
  for (const file of await testFiles(folder, only, tools)) results.push(await runFile(folder, file, tools));
  const sum = (key) => results.reduce((total, r) => total + r[key], 0);
  const failed = results.filter((r) => !r.ok).length;
  const total = `${failed === 0 ? 'ok  ' : 'FAIL'} total: ${sum('passing')} passing, ${sum('pending')} pending, ${sum('failing')} failing in ${results.length} file${results.length === 1 ? '' : 's'}${failed ? ` (${failed} failed)` : ''}`;
  const header = `socket.io server suite (${target}), logs in ${join(folder, 'logs')}:`;
  return { ok: failed === 0 && results.length > 0, lines: [header, ...results.map((r) => `  ${r.line}`), `  ${total}`] };
}
