// One `tsc --strict` run over every snippet, each written twice: as an ES module (.mjs/.mts) and as
// CommonJS (.cjs/.cts, where `import` resolves the packages' `require` types).
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CodeBlock } from './code-blocks.js';

const run = promisify(execFile);

/**
 * Diagnostics that only say a CommonJS file cannot `await` at its top level (TS1309): a snippet written for
 * ESM may use top-level await, and its CommonJS copy is there to check the `require` types, not that.
 */
const ESM_ONLY = new Set(['TS1309']);

/**
 * tsc's implicit-any errors in JavaScript: a user's `.mjs` has no annotations to give (`(socket) => …` on a
 * callback tsc cannot type from context is plain JavaScript). Every other strict check stays on JavaScript.
 */
const IMPLICIT_ANY = new Set(['TS7005', 'TS7006', 'TS7008', 'TS7019', 'TS7031', 'TS7034']);

export interface SnippetFiles {
  /** Paths relative to the project, e.g. `snippets/readme-l33.mjs`. */
  esm: string;
  cjs: string;
}

/** A file name for a block: `packages/hapi/README.md` line 6 → `packages-hapi-readme-l6`. */
export function snippetName(block: CodeBlock): string {
  return `${block.file.replace(/\.md$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-l${block.line}`;
}

/** Writes both copies of each block under `<project>/snippets/`. */
export async function writeSnippets(project: string, blocks: readonly CodeBlock[]): Promise<Map<CodeBlock, SnippetFiles>> {
  await mkdir(join(project, 'snippets'), { recursive: true });
  const files = new Map<CodeBlock, SnippetFiles>();
  for (const block of blocks) {
    const name = `snippets/${snippetName(block)}`;
    const written = block.lang === 'ts' ? { esm: `${name}.mts`, cjs: `${name}.cts` } : { esm: `${name}.mjs`, cjs: `${name}.cjs` };
    await writeFile(join(project, written.esm), block.code);
    await writeFile(join(project, written.cjs), block.code);
    files.set(block, written);
  }
  return files;
}

/**
 * Runs tsc once over `files` and returns its errors by file (relative to the project), those of Switchyard's
 * published declarations and those without a file under `*`.
 */
export async function typeCheck(project: string, files: readonly string[]): Promise<Map<string, string[]>> {
  const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    tsc,
    ...['--noEmit', '--pretty', 'false', '--strict', '--allowJs', '--checkJs', '--moduleDetection', 'force'],
    ...['--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'],
    ...files,
  ];
  const output = await run(process.execPath, args, { cwd: project, maxBuffer: 64 * 1024 * 1024 }).then(
    ({ stdout }) => stdout,
    (err: { stdout?: string; code?: number }) => {
      if (typeof err.stdout !== 'string' || err.code !== 2) throw err;
      return err.stdout;
    },
  );
  const errors = new Map<string, string[]>();
  // The list the current diagnostic goes to (its indented lines follow it), or null while one is left out.
  let last: string[] | null = null;
  for (const line of output.split('\n')) {
    const diagnostic = /^(.+?)\(\d+,\d+\): error (TS\d+): /.exec(line);
    if (diagnostic) {
      const [, file, code] = diagnostic as unknown as [string, string, string];
      const ignored = (/\.c[jt]s$/.test(file) && ESM_ONLY.has(code)) || (/\.[cm]js$/.test(file) && IMPLICIT_ANY.has(code));
      // An error in the published declarations of Switchyard's own packages fails every snippet; other
      // packages' declarations are theirs (Next's need @types/react, which a server does not install).
      const own = /node_modules\/(@switchyard\/|socket\.io\/)/.test(file);
      last = ignored ? null : listOf(errors, own ? '*' : file);
      last?.push(line);
    } else if (line.startsWith(' ')) {
      last?.push(line);
    } else if (line.trim() !== '') {
      // A diagnostic without a file (a bad option, a missing type package) concerns every snippet.
      last = listOf(errors, '*');
      last.push(line);
    }
  }
  return errors;
}

function listOf(errors: Map<string, string[]>, file: string): string[] {
  const list = errors.get(file) ?? [];
  errors.set(file, list);
  return list;
}
