// Every relative link and #anchor in the READMEs and docs resolves to a file (or folder) of the repository
// and, for an anchor, to a heading of the markdown file it names. No network: web links are not followed.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { anchorsOf, checkedFiles, displayName, linksOf, read, root } from '../markdown.mjs';

const anchorCache = new Map();
function anchorsOfFile(file) {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(read(file)));
  return anchorCache.get(file);
}

/** Why `target` (a link in `file`) does not resolve, or undefined when it does. */
function brokenBecause(file, target) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return undefined; // https:, mailto:, …
  const hash = target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const destination = path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
  if (relative(root, destination).startsWith('..')) return `${target} leaves the repository`;
  if (!existsSync(destination)) return `${target}: no such file`;
  if (anchor === undefined || anchor === '') return undefined;
  if (statSync(destination).isDirectory() || !destination.endsWith('.md')) return `${target}: an anchor into something that is not a markdown file`;
  return anchorsOfFile(destination).has(anchor) ? undefined : `${target}: ${displayName(destination)} has no heading #${anchor}`;
}

describe('links in the READMEs and docs', () => {
  const files = checkedFiles();

  it('finds the root README and the docs index', () => {
    const names = files.map(displayName);
    assert.ok(names.includes('README.md'));
    assert.ok(names.includes(join('docs', 'README.md')));
  });

  for (const file of files) {
    it(displayName(file), () => {
      const broken = linksOf(read(file))
        .map(({ line, target }) => ({ line, why: brokenBecause(file, target) }))
        .filter(({ why }) => why !== undefined)
        .map(({ line, why }) => `${displayName(file)}:${line}: ${why}`);
      assert.deepEqual(broken, []);
    });
  }
});

describe('the link checker', () => {
  const file = join(root, 'README.md');
  it('refuses a missing file, a missing anchor and a link out of the repository', () => {
    assert.match(brokenBecause(file, 'docs/no-such-page.md'), /no such file/);
    assert.match(brokenBecause(file, '#no-such-heading-anywhere'), /has no heading/);
    assert.match(brokenBecause(file, '../outside.md'), /leaves the repository/);
  });
  it('accepts a web link, a folder and a heading of the same file', () => {
    assert.equal(brokenBecause(file, 'https://example.com/x#y'), undefined);
    assert.equal(brokenBecause(file, 'packages/core'), undefined);
    const [first] = anchorsOfFile(file);
    assert.equal(brokenBecause(file, `#${first}`), undefined);
  });
});
