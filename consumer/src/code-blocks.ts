// The fenced code blocks of a Markdown file, and what the consumer test does with each (see docs'
// contract: a `js`/`ts` block is a server program, `client` a program run against the server block
// before it, `typecheck` a program that is only type-checked; any other language is not checked).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export type BlockKind = 'server' | 'client' | 'typecheck';

export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** The line of the block's first code line (the one after the opening fence), 1-based. */
  line: number;
  /** The whole info string, e.g. `ts typecheck`. */
  info: string;
  lang: 'js' | 'ts';
  kind: BlockKind;
  code: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`]*)$/;
const KINDS: Record<string, BlockKind> = { client: 'client', typecheck: 'typecheck' };

/** The js and ts blocks of one Markdown text, in order. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const info = open[2]!.trim();
    const start = i + 1;
    let end = start;
    while (end < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end]!)) end++;
    i = end;
    const [lang, ...flags] = info.split(/\s+/);
    if (lang !== 'js' && lang !== 'ts') continue;
    const unknown = flags.filter((flag) => !(flag in KINDS));
    if (unknown.length > 0 || flags.length > 1) throw new Error(`${file}:${start}: unknown fence info "${info}" (use ${lang}, ${lang} client or ${lang} typecheck)`);
    blocks.push({ file, line: start + 1, info, lang, kind: flags[0] === undefined ? 'server' : KINDS[flags[0]]!, code: `${lines.slice(start, end).join('\n')}\n` });
  }
  return blocks;
}

/** `README.md`, `packages/*\/README.md` and `docs/**\/*.md` under the repository root, as relative paths. */
export async function documentedFiles(root: string): Promise<string[]> {
  const files = ['README.md'];
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    if (entry.isDirectory() && (await exists(join(root, 'packages', entry.name, 'README.md')))) files.push(`packages/${entry.name}/README.md`);
  }
  const docs = join(root, 'docs');
  if (await exists(docs)) {
    for (const entry of await readdir(docs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.md')) files.push(relative(root, join(entry.parentPath, entry.name)));
    }
  }
  return files.sort();
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code === 'EISDIR',
  );
}

/** Every checked block of the documented files. */
export async function documentedBlocks(root: string): Promise<CodeBlock[]> {
  const blocks: CodeBlock[] = [];
  for (const file of await documentedFiles(root)) blocks.push(...codeBlocks(file, await readFile(join(root, file), 'utf8')));
  return blocks;
}
