// What the docs checks read from markdown: the files that are checked, their links, their headings'
// anchors and their tables. Code (fenced blocks and inline spans) is never read as markdown.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = join(import.meta.dirname, '..');

/** README.md, docs/**\/*.md (not the generated docs/api), packages/*\/README.md and examples/*\/README.md. */
export function checkedFiles() {
  const files = [join(root, 'README.md')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'api' && entry.name !== 'node_modules') walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
    }
  };
  if (existsSync(join(root, 'docs'))) walk(join(root, 'docs'));
  for (const group of ['packages', 'examples']) {
    for (const folder of readdirSync(join(root, group))) {
      const readme = join(root, group, folder, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files.sort();
}

export function displayName(file) {
  return relative(root, file);
}

/** The lines outside fenced code blocks, with their line numbers (1-based); inline code is blanked. */
export function proseLines(text) {
  const lines = [];
  let fence;
  text.split('\n').forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) fence = marker;
    else if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    } else lines.push({ number: index + 1, text: line.replace(/(`+)[^`]*?\1/g, (code) => ' '.repeat(code.length)) });
  });
  return lines;
}

/** Every link target: inline `[text](target "title")`, images, and reference definitions `[id]: target`. */
export function linksOf(text) {
  const links = [];
  for (const { number, text: line } of proseLines(text)) {
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: number, target: match[1] });
    const definition = /^\s{0,3}\[[^\]]+\]:\s+<?(\S+?)>?(\s|$)/.exec(line);
    if (definition !== null) links.push({ line: number, target: definition[1] });
  }
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slugOf(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a markdown file offers: its headings' slugs (repeats get -1, -2, …) and explicit `<a id>`s. */
export function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  // Headings are read with their inline code, which their slugs keep the text of.
  const raw = text.split('\n');
  for (const { number, text: line } of proseLines(text)) {
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
    if (!/^\s{0,3}#{1,6}\s/.test(line)) continue;
    const slug = slugOf(raw[number - 1].replace(/^\s{0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, ''));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * The rows of the first table whose header's first cell is `firstHeader`, as arrays of cells (the
 * header and the delimiter row left out). As on GitHub, every pipe splits cells, inside inline code too,
 * unless escaped (`\|`).
 */
export function tableRows(text, firstHeader) {
  const lines = text.split('\n');
  const cells = (line) => {
    const out = [];
    let cell = '';
    const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
    for (let i = 0; i < body.length; i++) {
      const char = body[i];
      if (char === '\\' && body[i + 1] === '|') {
        cell += '|';
        i++;
      } else if (char === '|') {
        out.push(cell.trim());
        cell = '';
      } else cell += char;
    }
    out.push(cell.trim());
    return out;
  };
  const start = lines.findIndex((line, i) => line.trim().startsWith('|') && cells(line)[0] === firstHeader && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? ''));
  if (start === -1) return undefined;
  const rows = [];
  for (let i = start + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) rows.push(cells(lines[i]));
  return rows;
}

export function read(file) {
  return readFileSync(file, 'utf8');
}
