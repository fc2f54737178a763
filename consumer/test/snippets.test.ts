// What the READMEs and docs promise, checked as a user meets it: every publishable package packed as a
// publish would pack it and installed with npm into a plain project outside the workspace, with the peers
// a user installs; there every js/ts block of README.md, packages/*/README.md and docs/**/*.md is
// type-checked with tsc --strict as ESM and as CommonJS, and each server block is run, connected to with
// socket.io-client 4 (or run with the client blocks that follow it) and stopped.
import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installPacked, type PackedProject } from '@switchyard/testing';
import { Socket as EngineClient } from 'engine.io-client';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeBlock, documentedBlocks } from '../src/code-blocks.js';
import { runClient, startServer } from '../src/snippet-process.js';
import { type SnippetFiles, typeCheck, writeSnippets } from '../src/type-check.js';

const root = join(import.meta.dirname, '..', '..');

/** What a user installs beside the packages: the frameworks, Redis's clients and socket.io's Redis add-ons, the Socket.IO client, TypeScript, the loggers docs/observability.md plugs in, prom-client. */
const USER_DEPENDENCIES = {
  '@hapi/hapi': '^21.4.0',
  '@socket.io/redis-adapter': '^8.3.0',
  '@socket.io/redis-emitter': '^5.1.0',
  '@types/express': '^5.0.3',
  '@types/koa': '^3.0.0',
  '@types/node': '^20.19.0',
  express: '^5.1.0',
  fastify: '^5.6.0',
  ioredis: '^5.4.0',
  koa: '^3.0.1',
  next: '^16.0.0',
  pino: '^9.0.0 || ^10.0.0',
  'prom-client': '^15.1.3',
  react: '^19.0.0',
  'react-dom': '^19.0.0',
  redis: '^5.0.0',
  'socket.io-client': '^4.8.1',
  tsx: '^4.20.0',
  typescript: '~5.9.3',
  winston: '^3.17.0',
};

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const blocks = await documentedBlocks(root);

let project: PackedProject | undefined;
let files: Map<CodeBlock, SnippetFiles>;
let errors: Map<string, string[]>;

beforeAll(async () => {
  const packages: string[] = [];
  for (const entry of await readdir(join(root, 'packages'), { withFileTypes: true })) {
    const manifest = join(root, 'packages', entry.name, 'package.json');
    const parsed = entry.isDirectory() ? (JSON.parse(await readFile(manifest, 'utf8').catch(() => '{"private":true}')) as { private?: boolean }) : { private: true };
    if (parsed.private !== true) packages.push(join(root, 'packages', entry.name));
  }
  // The drop-in is installed as users install it: under the name socket.io.
  // SWITCHYARD_CONSUMER_PROJECT=<folder> installs there once and reuses it on later runs (when editing docs).
  project = await installPacked({
    packages,
    installAs: { 'socket.io': '@switchyard/socket.io' },
    dependencies: USER_DEPENDENCIES,
    prefix: 'switchyard-consumer-',
    ...(process.env.SWITCHYARD_CONSUMER_PROJECT !== undefined && { keepIn: process.env.SWITCHYARD_CONSUMER_PROJECT }),
  });
  // A Next app's own folder for the custom-server blocks: its app/ directory (a layout and a page).
  await cp(join(import.meta.dirname, '..', 'fixtures', 'next-app'), project.dir, { recursive: true });
  files = await writeSnippets(project.dir, blocks);
  // Two programs, as a project is one or the other: in one program both views of a package would meet, and
  // the adapters' type augmentations (fastify.io, server.io, ctx.io) would be declared twice.
  const esm = await typeCheck(project.dir, [...files.values()].map(({ esm }) => esm));
  const cjs = await typeCheck(project.dir, [...files.values()].map(({ cjs }) => cjs));
  errors = new Map([...esm, ...cjs, ['*', [...(esm.get('*') ?? []), ...(cjs.get('*') ?? [])]]]);
}, 600_000);

afterAll(async () => {
  await project?.remove();
});

/** tsc's errors for one copy of a block, with lines counted in the Markdown file, and those that concern every block. */
function errorsOf(block: CodeBlock, file: string): string[] {
  const own = (errors.get(file) ?? []).map((line) =>
    line.replace(/^(.+?)\((\d+),(\d+)\)/, (_all, _file: string, row: string, column: string) => `${block.file}:${block.line + Number(row) - 1}:${column} (${file})`),
  );
  return [...(errors.get('*') ?? []), ...own];
}

/** The port a server block listens on: the first it names, else 3000. */
function portOf(code: string): number {
  return Number(/\.listen\(\s*(\d+)/.exec(code)?.[1] ?? /\bport:\s*(\d+)/.exec(code)?.[1] ?? 3000);
}

/** Connects socket.io-client 4 (or engine.io-client, for a block that runs the bare Engine) and resolves once connected. */
function connects(code: string, port: number): Promise<void> {
  // The path given to the Server or Engine (not a framework route's `path`).
  const path = /new (?:Server|Engine)\([^)]*?\bpath:\s*['"]([^'"]+)['"]/s.exec(code)?.[1];
  const url = `http://127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect within 20 s at ${url}`)), 20_000);
    const done = (err?: Error): void => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    if (/\bnew Engine\(/.test(code) && !/\bnew Server\(/.test(code)) {
      const socket = new EngineClient(url, { path: path ?? '/engine.io' });
      socket.once('open', () => (socket.close(), done()));
      socket.once('error', (err) => (socket.close(), done(err instanceof Error ? err : new Error(String(err)))));
    } else {
      const socket = io(url, { path: path ?? '/socket.io', forceNew: true, reconnection: false });
      socket.once('connect', () => (socket.close(), done()));
      socket.once('connect_error', (err) => (socket.close(), done(new Error(`connect_error: ${err.message}`))));
    }
  });
}

const byFile = new Map<string, CodeBlock[]>();
for (const block of blocks) byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);
for (const [file, inFile] of byFile) {
  describe(file, () => {
    inFile.forEach((block, index) => {
      const clients: CodeBlock[] = [];
      if (block.kind === 'server') for (let next = index + 1; inFile[next]?.kind === 'client'; next++) clients.push(inFile[next]!);
      it(`${block.info} block at ${block.file}:${block.line}`, async () => {
        const written = files.get(block)!;
        const typeErrors = [...errorsOf(block, written.esm), ...errorsOf(block, written.cjs)];
        expect(typeErrors, `tsc --strict on the ${block.info} block at ${block.file}:${block.line}`).toEqual([]);
        if (block.kind !== 'server') return;
        const port = portOf(block.code);
        const server = await startServer(project!.dir, written.esm, port, { PORT: String(port), REDIS_URL }).catch((err: Error) => {
          throw new Error(`${block.file}:${block.line}: ${err.message}`);
        });
        try {
          if (clients.length === 0) await connects(block.code, server.ports[port]!);
          for (const client of clients) {
            await runClient(project!.dir, files.get(client)!.esm, server.ports, 30_000).catch((err: Error) => {
              throw new Error(`${client.file}:${client.line} (client of the block at line ${block.line}): ${err.message}\nserver output:\n${server.output()}`);
            });
          }
        } catch (err) {
          throw new Error(`${block.file}:${block.line}: ${(err as Error).message}\nserver output:\n${server.output()}`, { cause: err });
        } finally {
          await server.stop();
        }
      }, 180_000);
    });
  });
}
