import { once } from 'node:events';
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from '@switchyard/core';
import { clientGenerations, runAdapterConformance, type AdapterApp } from '@switchyard/testing';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { switchyard, type SwitchyardNextOptions } from '../src/index.js';

process.env.NEXT_TELEMETRY_DISABLED = '1';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The part of a Next custom server app the tests use (the same in 15 and 16). */
interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): Handler;
  close(): Promise<void>;
}

/** `next(options)`, whichever way the package's CommonJS default reaches ESM. */
export type NextFactory = (options: { dev: boolean; dir: string; hostname?: string; quiet?: boolean }) => NextApp;

export function nextFactory(imported: unknown): NextFactory {
  return ((imported as { default?: unknown }).default ?? imported) as NextFactory;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** A copy of the fixture app whose `next` is the version under test (`next` or the `next15` alias). */
function fixtureFor(pkg: 'next' | 'next15'): string {
  const dir = here(`./.apps/${pkg}/`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(here('./fixture/'), dir, { recursive: true });
  mkdirSync(`${dir}node_modules`);
  symlinkSync(here(`../node_modules/${pkg}`), `${dir}node_modules/next`, 'dir');
  return dir;
}

/** A custom server: every request goes to Next, with Switchyard mounted in front. */
async function customServer(handle: Handler, io: Server, options: SwitchyardNextOptions = { checkShadowing: false }): Promise<HttpServer> {
  const server = createServer((req, res) => void handle(req, res));
  switchyard(server, io, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

const closeServer = (server: HttpServer): Promise<void> =>
  new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));

/**
 * Runs the adapter suite and the Next-specific cases against one Next version in dev mode. One version per
 * test file: Next sets process-wide environment variables (its bundler choice among them) as it starts.
 */
export function runNextTests(name: string, createNext: NextFactory, pkg: 'next' | 'next15'): void {
  describe(`${name} (dev mode)`, () => {
    let app: NextApp;
    let handle: Handler;

    beforeAll(async () => {
      app = createNext({ dev: true, dir: fixtureFor(pkg), hostname: '127.0.0.1', quiet: true });
      await app.prepare();
      handle = app.getRequestHandler();
    }, 180_000);

    afterAll(async () => {
      await app?.close();
    }, 30_000);

    describe(`${name}: its own cases`, () => {
      let io: Server;
      let server: HttpServer | undefined;
      beforeEach(() => {
        io = new Server();
      });
      afterEach(async () => {
        if (server?.listening) await closeServer(server);
        server = undefined;
        await io.close();
      });

      it("Next's HMR websocket, pages and route handlers keep working beside a browser's socket.io client", async () => {
        server = await customServer(handle, io);
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const browser = await chromium.launch({
          executablePath: '/usr/bin/chromium',
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
        });
        try {
          const page = await browser.newPage();
          // Whatever path this Next version uses for HMR: a websocket of the page's that is not socket.io's,
          // ready once it has carried a frame (on a busy machine the first one may fail and Next opens
          // another). No budget of its own: the compile can take long, and the test's timeout bounds the wait.
          const hmr = new Promise<string>((resolve) => {
            page.on('websocket', (ws) => {
              if (!ws.url().includes('/socket.io/')) ws.once('framereceived', () => resolve(ws.url()));
            });
          });
          // In dev mode Next compiles the page on its first request (and hooks its HMR upgrade handler onto
          // the server of the first request it sees): wait for that compile, then let the test's own timeout
          // bound the navigation.
          expect((await fetch(`${base}/`)).status).toBe(200);
          await page.goto(`${base}/`, { timeout: 0 });
          expect(await page.textContent('h1')).toBe('hello from next');
          expect(await hmr).toContain('/_next/');
          await page.addScriptTag({ url: '/socket.io/socket.io.min.js' });
          const id = await page.evaluate(
            () =>
              new Promise<string>((resolve) => {
                const socket = (globalThis as unknown as { io: (o: object) => { id: string; on(e: string, f: () => void): void } }).io({ transports: ['websocket'] });
                socket.on('connect', () => resolve(socket.id));
              }),
          );
          expect(io.of('/').sockets.has(id)).toBe(true);
          const health = await fetch(`${base}/health`);
          expect([health.status, await health.text()]).toEqual([200, 'ok']);
        } finally {
          await browser.close();
        }
      }, 300_000);

      it('warns once listening when a Next route overlaps its path, and still claims the path', async () => {
        const warnings: string[] = [];
        io = new Server({ path: '/rt' });
        server = await customServer(handle, io, { warn: (message) => warnings.push(message) });
        await expect.poll(() => warnings.length, { timeout: 60_000 }).toBe(1);
        expect(warnings[0]).toContain('/rt/');
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const open = await fetch(`${base}/rt/?EIO=4&transport=polling`);
        expect(await open.text()).toMatch(/^0\{/);
      }, 90_000);

      it('does not warn when no Next route overlaps its path', async () => {
        const warnings: string[] = [];
        const probed = new Promise<void>((resolve) => {
          server = createServer((req, res) => {
            void handle(req, res).finally(() => {
              if (req.url?.startsWith('/socket.io/')) resolve();
            });
          });
        });
        switchyard(server!, io, { warn: (message) => warnings.push(message) });
        server!.listen(0, '127.0.0.1');
        await probed;
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(warnings).toEqual([]);
      }, 90_000);
    });

    runAdapterConformance(
      { describe, it, beforeEach, afterEach, skip: it.skip },
      {
        name,
        createApp: async ({ io }): Promise<AdapterApp> => {
          const server = await customServer(handle, io);
          return { server, close: () => closeServer(server), userOf: () => undefined };
        },
        skip: [
          {
            reason: 'a custom server has no auth layer in front of the path Switchyard claims (Next middleware never sees it)',
            tests: [
              ...clientGenerations.filter((generation) => generation.sendsHeaders).map((generation) => `${generation.name}: the framework's auth reaches the socket`),
              'the framework’s auth refuses a request before the handshake',
            ],
          },
        ],
      },
    );
  });
}
