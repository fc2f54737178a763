// The markdown reading the checks rely on: anchors as GitHub makes them, links outside code only, tables.
import assert from 'node:assert/strict';
import { describe, it } from 'vitest';
import { anchorsOf, linksOf, slugOf, tableRows } from '../markdown.mjs';

describe('markdown', () => {
  it('makes GitHub anchors', () => {
    assert.equal(slugOf('Add it to your app'), 'add-it-to-your-app');
    assert.equal(slugOf('`node:http`'), 'nodehttp');
    assert.equal(slugOf('socket.io-client 0.7–0.9 (the 0.9 protocol)'), 'socketio-client-0709-the-09-protocol');
    assert.equal(slugOf('Next.js (custom server)'), 'nextjs-custom-server');
    assert.deepEqual([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n<a id="x"></a>')], ['a', 'a-1', 'x']);
  });
  it('reads links outside code only', () => {
    const text = 'see [a](a.md#b) and `[c](c.md)`\n```\n[d](d.md)\n```\n[e]: e.md';
    assert.deepEqual(linksOf(text).map((link) => link.target), ['a.md#b', 'e.md']);
  });
  it('reads a table as GitHub does: escaped pipes kept, others split cells, inside code too', () => {
    const rows = tableRows('text\n\n| option | what |\n|---|---|\n| `a` | `x \\| y` or `p | q` |\n| `b` | z |\n\nafter', 'option');
    assert.deepEqual(rows, [['`a`', '`x | y` or `p', 'q`'], ['`b`', 'z']]);
  });
});
