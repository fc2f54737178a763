import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterEach, describe, it } from 'vitest';
import { ClientBundle, ClientLocator } from './client-bundle.js';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder to resolve from, with `node_modules/socket.io-client` at `version` when given. */
function appDir(version?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-client-'));
  dirs.push(dir);
  if (version !== undefined) installClient(dir, version);
  return dir;
}

function installClient(dir: string, version: string): void {
  const pkg = join(dir, 'node_modules', 'socket.io-client');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'socket.io-client', version }));
  writeFileSync(join(pkg, 'dist', 'socket.io.js'), `/* socket.io-client ${version} */ ${'var engine_io = 1;\n'.repeat(200)}`);
}

describe('ClientLocator', () => {
  // A place without any copy is not tried here: the test runner's NODE_PATH reaches the workspace's copy.
  it('takes the first place that has a 4.x client, skipping other generations', () => {
    const legacy = appDir('2.5.0');
    const modern = appDir('4.99.0');
    const bundle = new ClientLocator(() => [join(legacy, 'x.js'), join(modern, 'x.js')]).locate();
    strictEqual(bundle?.version, '4.99.0');
    strictEqual(bundle.dir, join(modern, 'node_modules', 'socket.io-client', 'dist'));
  });

  it('does not remember a failed lookup, and keeps what it found', () => {
    const dir = appDir('2.5.0');
    const locator = new ClientLocator(() => [join(dir, 'x.js')]);
    strictEqual(locator.locate(), undefined);
    installClient(dir, '4.99.1');
    const found = locator.locate();
    strictEqual(found?.version, '4.99.1');
    rmSync(join(dir, 'node_modules'), { recursive: true });
    strictEqual(locator.locate(), found);
  });

  it('by default finds core’s own socket.io-client', () => {
    const bundle = new ClientLocator().locate();
    ok(bundle !== undefined);
    ok(bundle.version.startsWith('4.'));
  });
});

describe('ClientBundle', () => {
  it('builds each body once, plain and in each coding', async () => {
    const dir = join(appDir('4.99.2'), 'node_modules', 'socket.io-client', 'dist');
    const bundle = new ClientBundle(dir, '4.99.2');
    const plain = await bundle.body('socket.io.js');
    ok(plain.toString().startsWith('/* socket.io-client 4.99.2 */'));
    strictEqual(bundle.body('socket.io.js'), bundle.body('socket.io.js'));
    strictEqual(bundle.body('socket.io.js', 'br'), bundle.body('socket.io.js', 'br'));
    deepStrictEqual(brotliDecompressSync(await bundle.body('socket.io.js', 'br')), plain);
    deepStrictEqual(gunzipSync(await bundle.body('socket.io.js', 'gzip')), plain);
    deepStrictEqual(inflateSync(await bundle.body('socket.io.js', 'deflate')), plain);
    ok((await bundle.body('socket.io.js', 'gzip')).length < plain.length);
  });

  it('forgets a failed read, so the file is read again once it is there', async () => {
    const dir = join(appDir('4.99.3'), 'node_modules', 'socket.io-client', 'dist');
    const bundle = new ClientBundle(dir, '4.99.3');
    const missing = await bundle.body('later.js', 'gzip').then(
      () => false,
      () => true,
    );
    ok(missing);
    writeFileSync(join(dir, 'later.js'), 'late');
    strictEqual(gunzipSync(await bundle.body('later.js', 'gzip')).toString(), 'late');
  });
});
