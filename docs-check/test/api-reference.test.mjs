// The API reference builds from the TypeScript sources without a warning (`pnpm docs:api` does the same
// into docs/api/), and has a page for every export of every published package.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { promisify } from 'node:util';
import config from '../typedoc.config.mjs';
import { exportNameOf } from '../typedoc-package-names.mjs';

const run = promisify(execFile);
const typedoc = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');

describe('the API reference', () => {
  let out;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'switchyard-api-'));
  });
  afterAll(async () => {
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });

  it('covers every published package', () => {
    const names = config.entryPoints.map(exportNameOf);
    for (const name of ['@switchyard/core', '@switchyard/express', '@switchyard/fastify', '@switchyard/koa', '@switchyard/hapi', '@switchyard/next', '@switchyard/redis', '@switchyard/socket.io']) {
      assert.ok(names.includes(name), `${name} is an entry point`);
    }
  });

  it('builds with no warning, one page per export', async () => {
    // treatWarningsAsErrors is set: a broken {@link}, or a type TypeDoc cannot render, fails the build.
    await run(process.execPath, [typedoc, '--options', join(import.meta.dirname, '..', 'typedoc.config.mjs'), '--out', out], { maxBuffer: 16 * 1024 * 1024 });
    const pages = await readdir(join(out, 'modules'));
    for (const name of config.entryPoints.map(exportNameOf)) {
      const page = `${name.replace(/[@/]/g, '_')}.html`;
      assert.ok(pages.includes(page), `${page} is among ${pages.join(', ')}`);
    }
    assert.ok(existsSync(join(out, 'classes', '_switchyard_core.Server.html')), 'the Server class has its page');
  }, 600_000);
});
