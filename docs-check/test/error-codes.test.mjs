// docs/troubleshooting.md names every error code the sources define: each `ERR_…` string of a published
// package, and each Engine.IO refusal (its number and message) and refusal name reported on connection_error.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { read, root, tableRows } from '../markdown.mjs';

const troubleshooting = read(join(root, 'docs', 'troubleshooting.md'));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const sources = readdirSync(join(root, 'packages'))
  .flatMap((folder) => {
    try {
      return sourceFiles(join(root, 'packages', folder, 'src'));
    } catch {
      return [];
    }
  })
  .map((file) => read(file));

describe('docs/troubleshooting.md', () => {
  it('names every ERR_ code of the sources', () => {
    const codes = new Set(sources.flatMap((text) => [...text.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1])));
    assert.ok(codes.has('ERR_PROTOCOL_INVALID_PACKET') && codes.size >= 10, `found ${[...codes].join(', ')}`);
    assert.deepEqual([...codes].filter((code) => !troubleshooting.includes(`\`${code}\``)), []);
  });

  it('has a row for every Engine.IO refusal code, with its message', () => {
    const errors = sources.find((text) => text.includes('ENGINE_HTTP_ERROR_MESSAGES: readonly string[] = ['));
    assert.ok(errors, 'the engine defines its refusal messages');
    const list = /ENGINE_HTTP_ERROR_MESSAGES: readonly string\[\] = \[([^\]]*)\]/.exec(errors)[1];
    const messages = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const rows = tableRows(troubleshooting, 'code');
    assert.ok(rows, 'the refusal table is there');
    assert.deepEqual(
      messages.map((message, code) => rows.some((cells) => cells[0] === String(code) && cells[1] === message)),
      messages.map(() => true),
      `rows for ${messages.map((m, i) => `${i} ${m}`).join(', ')}`,
    );
  });

  it('explains every refusal name reported as err.context.name', () => {
    const names = new Set(sources.flatMap((text) => [...text.matchAll(/(?:badRequest\(|name: )'([A-Z_]+)'/g)].map((m) => m[1])));
    assert.ok(names.has('TRANSPORT_MISMATCH'), `found ${[...names].join(', ')}`);
    assert.deepEqual([...names].filter((name) => !troubleshooting.includes(`\`${name}\``)), []);
  });
});
