// The client bundles the Server serves under its path (`serveClient`, on by default): every file of
// socket.io-client's dist/ with its source map, the ETag and 304s, compression, CORS, and a fresh
// install of the built package with nothing else installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { rawRequest, useSio } from './sio-helpers.js';

const sio = useSio();

const require = createRequire(import.meta.url);
const clientDist = join(dirname(require.resolve('socket.io-client/package.json')), 'dist');
const version = (require('socket.io-client/package.json') as { version: string }).version;
const bundles = ['socket.io.js', 'socket.io.min.js', 'socket.io.esm.min.js', 'socket.io.msgpack.min.js'];

describe('serveClient', () => {
  it.each(bundles)('GET <path>/%s returns the installed socket.io-client bundle', async (name) => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.etag).toBe(`"${version}"`);
    expect(res.headers['cache-control']).toBe('public, max-age=0');
    expect(res.body.equals(readFileSync(join(clientDist, name)))).toBe(true);
  });

  it.each(bundles.map((name) => `${name}.map`))('GET <path>/%s returns its source map as JSON', async (name) => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers.etag).toBe(`"${version}"`);
    expect(res.body.equals(readFileSync(join(clientDist, name)))).toBe(true);
  });

  it('serves the bundles under a custom path, with a query string', async () => {
    const h = await sio.start({ path: '/rt' });
    const res = await rawRequest(`${h.url}/rt/socket.io.min.js?v=1`);
    expect(res.status).toBe(200);
    expect(res.body.equals(readFileSync(join(clientDist, 'socket.io.min.js')))).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/socket.io.js`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
    expect(res.body.length).toBe(0);
  });

  it.each([`"${version}"`, `W/"${version}"`, `"0.0.1", W/"${version}"`, '*'])('answers 304 to If-None-Match: %s', async (tag) => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/socket.io.js`, { headers: { 'if-none-match': tag } });
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe(`"${version}"`);
    expect(res.body.length).toBe(0);
  });

  it('sends the file again when If-None-Match names another version', async () => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/socket.io.js`, { headers: { 'if-none-match': 'W/"0.0.1"' } });
    expect(res.status).toBe(200);
    expect(res.body.equals(readFileSync(join(clientDist, 'socket.io.js')))).toBe(true);
  });

  it.each([
    { accept: 'gzip,br,deflate', encoding: 'gzip', decode: gunzipSync },
    { accept: 'br', encoding: 'br', decode: brotliDecompressSync },
    { accept: 'deflate', encoding: 'deflate', decode: inflateSync },
    { accept: 'gzip;q=0.4, br;q=0.9', encoding: 'br', decode: brotliDecompressSync },
  ])('Accept-Encoding: $accept is answered with $encoding', async ({ accept, encoding, decode }) => {
    const h = await sio.start();
    for (const name of ['socket.io.js', 'socket.io.js.map']) {
      const res = await rawRequest(`${h.url}/socket.io/${name}`, { headers: { 'accept-encoding': accept } });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(decode(res.body).equals(readFileSync(join(clientDist, name)))).toBe(true);
    }
  });

  it('applies the cors option to the bundles, preflight included', async () => {
    const h = await sio.start({ cors: { origin: 'https://app.example' } });
    const allowed = await rawRequest(`${h.url}/socket.io/socket.io.js`, { headers: { origin: 'https://app.example' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers.vary).toBe('Origin, Accept-Encoding');
    expect(allowed.body.equals(readFileSync(join(clientDist, 'socket.io.js')))).toBe(true);
    const preflight = await rawRequest(`${h.url}/socket.io/socket.io.min.js`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.body.length).toBe(0);
  });

  it('sends no CORS headers for the bundles unless configured', async () => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/socket.io.js`, { headers: { origin: 'https://app.example' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serveClient: false does not serve them: the engine answers 400', async () => {
    const h = await sio.start({ serveClient: false });
    for (const name of [...bundles, 'socket.io.js.map']) {
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
