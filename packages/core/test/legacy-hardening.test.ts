// Whatever a 0.9 peer sends, the session that sent it may end, the process and the other sessions do not.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from '../src/index.js';
import { useLegacy } from './legacy-helpers.js';
import { rawRequest, until } from './sio-helpers.js';

const { start } = useLegacy();

async function handshake(url: string): Promise<string> {
  return (await rawRequest(`${url}/socket.io/1/`)).body.toString().split(':')[0]!;
}

async function openWs(port: number, sid: string): Promise<{ ws: WebSocket; frames: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/1/websocket/${sid}`);
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(String(data)));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, frames, closed };
}

describe('0.9 hardening', () => {
  it.each([
    ['an unknown packet type', '9::'],
    ['an event that is not JSON', '5:::{nope'],
    ['bad framing', '\ufffd99\ufffd3:::x'],
    ['an ack without an id', '6:::+[]'],
  ])('closes a websocket session that sends %s (parse error)', async (_what, frame) => {
    const h = await start();
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const bystander = await openWs(h.port, await handshake(h.url));
    const peer = await openWs(h.port, await handshake(h.url));
    await until(() => reasons.length === 0 && h.io.sockets.sockets.size === 2);
    peer.ws.send(frame);
    await peer.closed;
    expect(reasons).toEqual(['parse error']);
    bystander.ws.send('5:1+::{"name":"still","args":[]}');
    expect(h.io.sockets.sockets.size).toBe(1);
    bystander.ws.terminate();
  });

  it('drops a websocket that sends a binary frame', async () => {
    const h = await start();
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const peer = await openWs(h.port, await handshake(h.url));
    peer.ws.send(Buffer.from([1, 2, 3]));
    await peer.closed;
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['transport close']);
  });

  it('ignores reserved event names, events for namespaces never joined, and client error packets', async () => {
    const h = await start();
    const seen: string[] = [];
    h.io.on('connection', (socket: Socket) => socket.onAny((event: string) => seen.push(event)));
    const peer = await openWs(h.port, await handshake(h.url));
    await until(() => h.io.sockets.sockets.size === 1);
    for (const frame of ['5:::{"name":"disconnect"}', '5::/never:{"name":"x"}', '7:::2+0', '8::', '1::', '5:::{"name":"ok"}']) peer.ws.send(frame);
    await until(() => seen.length === 1);
    expect(seen).toEqual(['ok']);
    expect(h.io.sockets.sockets.size).toBe(1);
    peer.ws.terminate();
  });

  // Past 100 packets the session is closed (ERR_REALTIME_TOO_MANY_EARLY_PACKETS): early-packets.test.ts.
  it('keeps up to 100 packets for a namespace whose middleware runs, its disconnect once in a row', async () => {
    const h = await start();
    let admit: () => void = () => {};
    h.io.of('/chat').use((_socket, next) => {
      admit = next;
    });
    const events: unknown[] = [];
    const reasons: string[] = [];
    h.io.of('/chat').on('connection', (socket: Socket) => {
      socket.on('e', (n: number) => events.push(n));
      socket.on('disconnect', (reason) => reasons.push(reason));
    });
    const peer = await openWs(h.port, await handshake(h.url));
    peer.ws.send('1::/chat');
    for (let i = 0; i < 99; i++) peer.ws.send(`5::/chat:{"name":"e","args":[${i}]}`);
    for (let i = 0; i < 500; i++) peer.ws.send('0::/chat'); // kept once: the hundredth
    // Frames are handled in order: once `/` has seen this one, every frame before it was handled too.
    let synced = false;
    h.io.sockets.sockets.forEach((socket) => socket.on('sync', () => (synced = true)));
    peer.ws.send('5:::{"name":"sync"}');
    await until(() => synced);
    admit();
    await until(() => reasons.length === 1);
    expect(events).toEqual(Array.from({ length: 99 }, (_, i) => i));
    expect(reasons).toEqual(['client namespace disconnect']);
    expect(h.io.legacyEngine!.sessions.size).toBe(1);
    peer.ws.terminate();
  });

  it('answers odd URLs and methods without a crash', async () => {
    const h = await start();
    const sid = await handshake(h.url);
    expect((await rawRequest(`${h.url}/socket.io/1/a/b/c`)).status).toBe(400);
    expect((await rawRequest(`${h.url}/socket.io/1/websocket/${sid}`)).status).toBe(400);
    expect((await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}`, { method: 'PUT' })).status).toBe(405);
    expect((await rawRequest(`${h.url}/socket.io/1/`, { method: 'POST', body: 'x' })).status).toBe(400);
    expect((await rawRequest(`${h.url}/socket.io/1/%E0%A4%A/x`)).status).toBe(400);
    // The 4.x engine still owns everything else under the path.
    expect((await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });

  it('drops an xhr-polling client that stays away while more than maxWriteBuffer waits for it', async () => {
    const h = await start({ maxWriteBuffer: 64 * 1024 });
    const away = await handshake(h.url);
    const polling = await handshake(h.url);
    // Each opens its transport (answered `1::` at once); only `polling` keeps polling.
    for (const sid of [away, polling]) expect((await rawRequest(`${h.url}/socket.io/1/xhr-polling/${sid}`)).body.toString()).toBe('1::');
    const awaySession = h.io.legacyEngine!.sessions.get(away)!;
    const pollingSession = h.io.legacyEngine!.sessions.get(polling)!;
    const closed = new Promise<[string, Error | undefined]>((resolve) => awaySession.once('close', (reason, error) => resolve([reason, error])));
    let received = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const body = (await rawRequest(`${h.url}/socket.io/1/xhr-polling/${polling}`)).body.toString();
        received += body.split('\ufffd').filter((part) => part.startsWith('3:::')).length;
      }
    })();
    const packet = `3:::${'x'.repeat(16 * 1024)}`;
    let sent = 0;
    while (awaySession.readyState === 'open' && sent < 100) {
      await until(() => pollingSession.writable);
      awaySession.send(packet);
      pollingSession.send(packet);
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const [reason, error] = await closed;
    expect(reason).toBe('transport error');
    expect((error as { code?: string }).code).toBe('ERR_ENGINE_SLOW_CONSUMER');
    expect(sent).toBe(4); // 4 × 16 KiB and a few bytes: past 64 KiB, long before the close timeout
    await until(() => received === sent);
    stop = true;
    pollingSession.send('8::'); // ends the reader's held GET
    await reader;
    expect(pollingSession.readyState).toBe('open');
    // The dropped session is gone: its client is told to handshake again.
    expect((await rawRequest(`${h.url}/socket.io/1/xhr-polling/${away}`)).body.toString()).toBe('7:::1+0');
  });
});
