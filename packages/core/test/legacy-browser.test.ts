// socket.io-client 0.9.16's browser bundle (dist/socket.io.js) in headless Chromium, forced onto each
// transport a modern browser can run: websocket, xhr-polling and jsonp-polling.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { useLegacy } from './legacy-helpers.js';
import { until } from './sio-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`Chromium is required in CI but missing at ${CHROMIUM}`);
  console.warn(`[legacy-browser] skipped: no Chromium at ${CHROMIUM} (install the chromium package or set CHROMIUM_PATH)`);
}

const require = createRequire(import.meta.url);
const bundle = readFileSync(join(dirname(require.resolve('socket.io-client-v09/package.json')), 'dist/socket.io.js'), 'utf8');
const PAGE = '<!doctype html><html><head><script src="/v09/socket.io.js"></script></head><body></body></html>';

/** The host's own routes: the test page and the 0.9 bundle (everything under /socket.io/ is the server's). */
function hostRoutes(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/v09/socket.io.js') res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(bundle);
  else res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
}

const { start } = useLegacy();
let browser: Browser | undefined;

beforeAll(async () => {
  if (!available) return;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!available).each(['websocket', 'xhr-polling', 'jsonp-polling'])('the 0.9.16 browser bundle over %s', (transport) => {
  it('runs events, both kinds of ack, messages, /chat and disconnects', async () => {
    const h = await start({}, (http) => http.on('request', hostRoutes));
    const seen: unknown[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.emit('welcome', 'to 0.9');
      socket.on('sum', (a: number, b: number, ack: (n: number) => void) => ack(a + b));
      socket.on('message', (data: unknown) => seen.push(data));
      socket.on('ask', (ack: unknown) => {
        socket.emit('question', 'name?', (answer: string) => seen.push(answer));
        if (typeof ack === 'function') ack();
      });
    });
    h.io.of('/chat').on('connection', (socket: Socket) => socket.on('say', (text: string, ack: (s: string) => void) => ack(`chat:${text}`)));
    const context = await browser!.newContext();
    const page = await context.newPage();
    try {
      await page.goto(h.url + '/');
      const result = await page.evaluate(async (name) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const page = globalThis as any;
        const io = page.io;
        // The client merges a `transports` option into its defaults index by index: replace the defaults instead.
        io.transports = [name];
        const socket = io.connect(page.location.origin, { 'force new connection': true, reconnect: false });
        page.socket = socket;
        const next = (emitter: { once(e: string, f: (...a: unknown[]) => void): void }, event: string) =>
          new Promise<unknown[]>((resolve, reject) => {
            setTimeout(() => reject(new Error(`no "${event}" in the page`)), 5000);
            emitter.once(event, (...args: unknown[]) => resolve(args));
          });
        const welcome = await next(socket, 'welcome');
        const sum = await new Promise((resolve) => socket.emit('sum', 20, 22, resolve));
        await new Promise<void>((resolve) => socket.send('text', () => resolve()));
        socket.on('question', (q: string, ack: (a: string) => void) => ack(`answer to ${q}`));
        socket.emit('ask');
        const chat = socket.socket.of('/chat');
        await next(chat, 'connect');
        const echo = await new Promise((resolve) => chat.emit('say', 'hi', resolve));
        return { welcome, sum, echo, transport: socket.socket.transport.name };
      }, transport);
      expect(result).toEqual({ welcome: ['to 0.9'], sum: 42, echo: 'chat:hi', transport });
      await until(() => seen.length === 2);
      expect(seen).toEqual(['text', 'answer to name?']);
      const [socket] = [...h.io.sockets.sockets.values()];
      expect(socket!.conn.transport.name).toBe(transport);
      const left = new Promise((resolve) => socket!.once('disconnect', resolve));
      await page.evaluate(async () => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const socket = (globalThis as any).socket;
        // A packet sent while a jsonp POST is in flight is buffered, and a disconnect drops the buffer:
        // wait until the client has nothing in flight, as a page's own code would not need to.
        while (socket.socket.doBuffer) await new Promise((resolve) => setTimeout(resolve, 10));
        socket.disconnect();
      });
      expect(await left).toBe('client namespace disconnect');
    } finally {
      await context.close();
    }
  });
});
