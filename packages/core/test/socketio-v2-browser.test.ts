// socket.io-client@2.5.0's browser bundle (dist/socket.io.js) in headless Chromium: the transports
// engine.io-client 3 uses only in a browser — JSONP polling (`forceJSONP`), base64 XHR polling
// (`forceBase64`) and XHR2 binary payloads — exchanging events, acks both ways and binary.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { useSio } from './sio-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`Chromium is required on CI (expected at ${CHROMIUM})`);
if (!available) console.warn(`[socketio-v2-browser] skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const require = createRequire(import.meta.url);
const bundle = readFileSync(join(dirname(require.resolve('socket.io-client-v2/package.json')), 'dist', 'socket.io.js'));

/** The page: loads the 2.x bundle and defines `run(options)`, which connects and exercises the server. */
const PAGE = `<!doctype html><meta charset="utf-8"><script src="/v2/socket.io.js"></script><script>
window.run = async (options) => {
  const socket = io(location.origin, Object.assign({ forceNew: true, reconnection: false }, options));
  window.socket = socket;
  await new Promise((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', (err) => reject(new Error('connect_error ' + err)));
    socket.on('error', (err) => reject(new Error('error ' + JSON.stringify(err))));
  });
  const withAck = (event, ...args) => new Promise((resolve) => socket.emit(event, ...args, (...answer) => resolve(answer)));
  socket.on('question', (question, reply) => reply('answer to ' + question));
  const pushed = new Promise((resolve) => socket.once('pushed', (...args) => resolve(args)));
  socket.emit('push', 'hello');
  const echoed = await withAck('echo', 'é😀 \\u2028\\u2029 <\\/script> "q" \\\\ \\n', { n: 1 });
  const [bytes] = await withAck('binary', new Uint8Array([1, 2, 3, 255]).buffer);
  const asked = await withAck('ask', 'life');
  const [text, pushedBytes] = await pushed;
  return {
    id: socket.id,
    transport: socket.io.engine.transport.name,
    echoed,
    bytes: Array.from(new Uint8Array(bytes)),
    asked,
    pushed: [text, Array.from(new Uint8Array(pushedBytes))],
  };
};
</script>`;

function serveTestPage(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE);
  else if (req.url === '/v2/socket.io.js') res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(bundle);
  else res.writeHead(404).end();
}

interface PageResult {
  id: string;
  transport: string;
  echoed: unknown[];
  bytes: number[];
  asked: unknown[];
  pushed: [string, number[]];
}

const sio = useSio();

describe.skipIf(!available)('socket.io-client 2.x in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    { name: 'JSONP polling (forceJSONP)', options: { forceJSONP: true, transports: ['polling'] }, transport: 'polling', query: /[?&]j=\d+/, posts: 'application/x-www-form-urlencoded' },
    { name: 'base64 polling then websocket (forceBase64)', options: { forceBase64: true }, transport: 'websocket', query: /[?&]b64=1/, posts: 'text/plain;charset=UTF-8' },
    { name: 'XHR2 binary polling', options: { transports: ['polling'] }, transport: 'polling', query: /^(?!.*[?&](b64|j)=)/, posts: 'application/octet-stream' },
  ])('$name: events, acks both ways and binary', async ({ options, transport, query, posts }) => {
    const h = await sio.start({}, { setup: (http) => http.on('request', serveTestPage) });
    // What the client posted (listened to ahead of the server's own handler).
    const postTypes = new Set<string | undefined>();
    h.http.prependListener('request', (req: IncomingMessage) => {
      if (req.method === 'POST') postTypes.add(req.headers['content-type']);
    });
    const sockets: Socket[] = [];
    h.io.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('echo', (...args: unknown[]) => (args.pop() as (...a: unknown[]) => void)(...args));
      socket.on('binary', (data: Buffer, ack: (d: Buffer) => void) => ack(data));
      socket.on('push', (text: string) => socket.emit('pushed', text, Buffer.from([9, 8, 7])));
      socket.on('ask', async (question: string, ack: (a: unknown) => void) => ack(await socket.timeout(5000).emitWithAck('question', question)));
    });
    const page = await browser.newPage();
    try {
      await page.goto(h.url);
      const result = (await page.evaluate((o) => (globalThis as unknown as { run(o: unknown): Promise<unknown> }).run(o), options)) as PageResult;
      expect(result.transport).toBe(transport);
      expect(result.echoed).toEqual(['é😀 \u2028\u2029 </script> "q" \\ \n', { n: 1 }]);
      expect(result.bytes).toEqual([1, 2, 3, 255]);
      expect(result.asked).toEqual(['answer to life']);
      expect(result.pushed).toEqual(['hello', [9, 8, 7]]);
      expect(sockets).toHaveLength(1);
      expect(sockets[0]!.id).toBe(result.id);
      expect(sockets[0]!.conn.protocol).toBe(3);
      expect(sockets[0]!.conn.request.url).toMatch(query);
      // A client that stays on polling posted in its format. One that upgrades may have posted nothing by
      // then (its first emits can already go over the websocket); a base64 client never posts bytes.
      if (transport === 'polling') expect(postTypes).toContain(posts);
      else expect(postTypes).not.toContain('application/octet-stream');
    } finally {
      await page.close();
    }
  });
});
