// The engine inside a host http server: what is outside its path stays the host's, before and after close().
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { handshake, parseOpen, pollingUrl, rawUpgrade, refusedUpgrade, useHarness } from './helpers.js';

const t = useHarness();

describe('handleRequest / handleUpgrade', () => {
  it('claims only URLs under its path and leaves the rest untouched', async () => {
    const verdicts: Array<[string, boolean]> = [];
    const h = await t.start({
      engine: { cors: { origin: '*' } },
      attach: false,
      setup: (server) => {
        server.on('request', (req: IncomingMessage, res: ServerResponse) => {
          const claimed = h.engine.handleRequest(req, res);
          verdicts.push([req.url ?? '', claimed]);
          if (!claimed) {
            expect(res.headersSent).toBe(false);
            expect(res.getHeaderNames()).toEqual([]);
            res.end('host');
          }
        });
      },
    });
    for (const path of ['/', '/other', '/engine.iox', '/api/engine.io/']) {
      const res = await fetch(h.base + path, { headers: { Origin: 'https://a.example' } });
      expect(await res.text()).toBe('host');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(parseOpen(await (await fetch(pollingUrl(h))).text()).upgrades).toEqual(['websocket']);
    expect((await fetch(`${h.base}/engine.io?EIO=4&transport=polling`)).status).toBe(200);
    expect(verdicts.map(([, claimed]) => claimed)).toEqual([false, false, false, false, true, true]);
  });

  it('returns false for upgrades outside its path without touching the socket', async () => {
    const h = await t.start({
      attach: false,
      setup: (server) => {
        server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
          if (h.engine.handleUpgrade(req, socket, head)) return;
          expect(socket.destroyed).toBe(false);
          socket.end('HTTP/1.1 418 I\'m a teapot\r\nConnection: close\r\nContent-Length: 6\r\n\r\nteapot');
        });
      },
    });
    expect(await rawUpgrade(h.port, '/elsewhere')).toMatch(/^HTTP\/1\.1 418 .*teapot$/s);
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    expect((await peer.text()).startsWith('0{')).toBe(true);
  });
});

describe('attach', () => {
  function hostServer(server: Server): { requestListener: (...args: never[]) => void; upgradeListener: (...args: never[]) => void } {
    const chat = new WebSocketServer({ noServer: true });
    chat.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(binary ? data : `chat:${data.toString()}`)));
    t.defer(() => new Promise<void>((resolve) => chat.close(() => resolve())));
    const requestListener = (req: IncomingMessage, res: ServerResponse): void => {
      res.setHeader('X-Host', 'yes');
      res.end(`host:${req.method} ${req.url}`);
    };
    const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (req.url === '/chat') chat.handleUpgrade(req, socket, head, (ws) => chat.emit('connection', ws, req));
      else socket.destroy();
    };
    server.on('request', requestListener);
    server.on('upgrade', upgradeListener);
    return { requestListener, upgradeListener };
  }

  it('serves its path and passes everything else to the host listeners, then restores them on close', async () => {
    let host: ReturnType<typeof hostServer> | undefined;
    const h = await t.start({ setup: (server) => (host = hostServer(server)) });
    const chatRoundTrip = async (): Promise<string> => {
      const peer = await t.ws(`${h.wsBase}/chat`);
      peer.send('hi');
      return peer.text();
    };

    // Both worlds work side by side.
    const hello = await fetch(`${h.base}/hello?x=1`);
    expect(hello.headers.get('x-host')).toBe('yes');
    expect(await hello.text()).toBe('host:GET /hello?x=1');
    expect(await (await fetch(`${h.base}/hello`, { method: 'POST', body: 'data' })).text()).toBe('host:POST /hello');
    expect(await chatRoundTrip()).toBe('chat:hi');
    const sid = await handshake(h);
    const peer = await t.ws(`${h.wsBase}/engine.io/?EIO=4&transport=websocket`);
    expect((await peer.text()).startsWith('0{')).toBe(true);
    expect(h.http.listeners('request')).not.toContain(host?.requestListener);

    await h.engine.close();
    await peer.closed;
    expect(h.http.listening).toBe(true);
    expect(h.http.listeners('request')).toEqual([host?.requestListener]);
    expect(h.http.listeners('upgrade')).toEqual([host?.upgradeListener]);
    expect(h.engine.sessions.has(sid)).toBe(false);
    // The engine's path now belongs to the host again.
    expect(await (await fetch(pollingUrl(h))).text()).toBe('host:GET /engine.io/?EIO=4&transport=polling');
    expect(await (await fetch(`${h.base}/hello`)).text()).toBe('host:GET /hello');
    expect(await chatRoundTrip()).toBe('chat:hi');
  });

  it('answers 404 outside its path when the server had no listeners of its own', async () => {
    const h = await t.start();
    const res = await fetch(`${h.base}/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('Not Found');
    expect(await refusedUpgrade(`${h.wsBase}/nothing-here`)).toMatchObject({ status: 404, body: 'Not Found' });
  });

  it('leaves requests and upgrades outside its path to listeners the host adds after attach', async () => {
    const h = await t.start();
    // a listener added later sees every request, as with socket.io, so it skips the engine's path itself
    h.http.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/engine.io/')) res.end(`late:${req.url}`);
    });
    const upgrades = new WebSocketServer({ noServer: true });
    h.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url?.startsWith('/engine.io/')) return;
      upgrades.handleUpgrade(req, socket, head, (ws) => ws.send('late-ws'));
    });
    try {
      const res = await fetch(`${h.base}/added-later`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('late:/added-later');
      const ws = new WebSocket(`${h.wsBase}/added-later`);
      const first = await new Promise<string>((resolve, reject) => {
        ws.once('message', (data: Buffer) => resolve(data.toString()));
        ws.once('error', reject);
      });
      ws.close();
      expect(first).toBe('late-ws');
      // its own path is still the engine's alone
      expect(parseOpen(await (await fetch(pollingUrl(h))).text()).sid).toBeTypeOf('string');
    } finally {
      upgrades.close();
    }
  });

  it('refuses a second attach', async () => {
    const h = await t.start();
    expect(() => h.engine.attach(h.http)).toThrow(/already attached/);
  });
});
