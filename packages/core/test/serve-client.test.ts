// The client bundles the Server serves under its path (`serveClient`, on by default), and a fresh
// install of the built package with nothing else installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { rawRequest, useSio } from './sio-helpers.js';

const sio = useSio();

const require = createRequire(import.meta.url);
const clientDist = join(dirname(require.resolve('socket.io-client/package.json')), 'dist');
const version = (require('socket.io-client/package.json') as { version: string }).version;
const bundles = ['socket.io.js', 'socket.io.min.js', 'socket.io.esm.min.js'];

describe('serveClient', () => {
  it.each(bundles)('GET <path>/%s returns the installed socket.io-client bundle', async (name) => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    expect(res.body.equals(readFileSync(join(clientDist, name)))).toBe(true);
    const etag = res.headers.etag;
    expect(etag).toBe(`"${version}"`);
    const again = await rawRequest(`${h.url}/socket.io/${name}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves the bundles under a custom path, with a query string', async () => {
    const h = await sio.start({ path: '/rt' });
    const res = await rawRequest(`${h.url}/rt/socket.io.min.js?v=1`);
    expect(res.status).toBe(200);
    expect(res.body.equals(readFileSync(join(clientDist, 'socket.io.min.js')))).toBe(true);
  });

  it('serveClient: false does not serve them', async () => {
    const h = await sio.start({ serveClient: false });
    for (const name of bundles) {
      const res = await rawRequest(`${h.url}/socket.io/${name}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).not.toMatch(/javascript/);
      expect(res.body.length).toBeLessThan(200);
    }
  });
});

describe('serveClient on a fresh install', () => {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const builds = [
    { name: 'ESM', load: `const { Server } = await import(${JSON.stringify(join(dist, 'index.js'))});` },
    {
      name: 'CommonJS',
      load: `const { Server } = (await import('node:module')).createRequire(import.meta.url)(${JSON.stringify(join(dist, 'index.cjs'))});`,
    },
  ];

  // Node runs the script from an empty folder (no node_modules, no entry script, no NODE_PATH), so the
  // only socket.io-client in reach is core's own dependency.
  it.each(builds)('the $name build serves core’s own socket.io-client', async ({ load }) => {
    if (!existsSync(join(dist, 'index.cjs'))) throw new Error('packages/core/dist is missing: run `pnpm build` first');
    const script = `${load}
      const { createServer } = await import('node:http');
      const http = createServer();
      const io = new Server(http);
      await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
      try {
        const res = await fetch('http://127.0.0.1:' + http.address().port + '/socket.io/socket.io.min.js');
        console.log(JSON.stringify({ status: res.status, etag: res.headers.get('etag'), length: (await res.arrayBuffer()).byteLength }));
      } finally {
        await io.close();
        http.close();
      }`;
    const cwd = mkdtempSync(join(tmpdir(), 'switchyard-fresh-'));
    try {
      const env = { ...process.env };
      delete env.NODE_PATH;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd, env, timeout: 10_000 });
      expect(JSON.parse(stdout)).toEqual({ status: 200, etag: `"${version}"`, length: readFileSync(join(clientDist, 'socket.io.min.js')).length });
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
