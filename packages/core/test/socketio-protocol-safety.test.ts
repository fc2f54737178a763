// Nothing a client sends can hurt anyone else: a raw client sending garbage loses its own connection
// while a well-behaved socket.io-client connected at the same time carries on. As in socket.io, what does
// not decode ends its sockets with "forced close"; a packet that decodes but makes no sense where it
// arrives ends them with "parse error".
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from '../src/index.js';
import { type ClientSocket, rawRequest, record, type SioHarness, TRANSPORTS, until, useSio } from './sio-helpers.js';

const sio = useSio();

let raws: WebSocket[] = [];
afterEach(() => {
  for (const ws of raws) ws.terminate();
  raws = [];
});

interface RawClient {
  ws: WebSocket;
  received: string[];
  closed: Promise<void>;
  /** The id of the socket the server gave it in `/`. */
  sid: string;
}

/** A raw websocket speaking Engine.IO v4 by hand; connected to `/` unless `join` is false. */
async function rawClient(h: SioHarness, join = true): Promise<RawClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket`);
  raws.push(ws);
  const received: string[] = [];
  ws.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : data.toString()));
  ws.on('error', () => {});
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await until(() => received.length > 0, 'open packet');
  expect(received[0]).toMatch(/^0\{"sid":/);
  if (!join) return { ws, received, closed, sid: '' };
  ws.send('40');
  await until(() => received.some((m) => m.startsWith('40{')), 'CONNECT answer');
  const sid = (JSON.parse(received.find((m) => m.startsWith('40{'))!.slice(2)) as { sid: string }).sid;
  return { ws, received, closed, sid };
}

/** What raw clients may send, one Engine.IO message per entry, and the reason their socket leaves for. */
const GARBAGE: Array<{ name: string; frames: Array<string | Buffer>; reason: string }> = [
  { name: 'an unknown packet type (4abc)', frames: ['4abc'], reason: 'forced close' },
  { name: 'an event that is not an array (42{})', frames: ['42{}'], reason: 'forced close' },
  { name: 'junk before the payload (42abc[...])', frames: ['42abc["x"]'], reason: 'forced close' },
  { name: 'a placeholder past the attachments', frames: ['451-["x",{"_placeholder":true,"num":5}]'], reason: 'forced close' },
  { name: 'an event for a namespace never joined', frames: ['42/never,["x"]'], reason: 'parse error' },
  { name: 'a reserved event name', frames: ['42["disconnect"]'], reason: 'forced close' },
  { name: 'more attachments than allowed', frames: ['4511-["x"]'], reason: 'forced close' },
  { name: 'invalid JSON', frames: ['42["x",'], reason: 'forced close' },
  { name: 'a CONNECT_ERROR, which only servers send', frames: ['44{"message":"x"}'], reason: 'parse error' },
  { name: 'a binary message nobody announced', frames: [Buffer.from([1, 2, 3])], reason: 'forced close' },
  { name: 'text where an attachment is due', frames: ['451-["x",{"_placeholder":true,"num":0}]', '42["y"]'], reason: 'forced close' },
];

describe.each(TRANSPORTS)('garbage from a raw client, next to a socket.io-client over $name', ({ options, final }) => {
  /** A server with an echo, one good client, and the reasons every server socket left for. */
  async function setup(): Promise<{ h: SioHarness; good: ClientSocket; goodSocket: Socket; reasons: Map<string, string> }> {
    const h = await sio.start();
    const reasons = new Map<string, string>();
    h.io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
      socket.on('disconnect', (reason) => reasons.set(socket.id, reason));
    });
    const [good, goodSocket] = await h.pair('/', options, final);
    return { h, good, goodSocket, reasons };
  }

  it.each(GARBAGE)('$name closes that connection only', async ({ frames, reason }) => {
    const { h, good, goodSocket, reasons } = await setup();
    const raw = await rawClient(h);
    expect(await good.emitWithAck('echo', 'before')).toBe('before');
    for (const frame of frames) raw.ws.send(frame);
    await raw.closed;
    await until(() => reasons.has(raw.sid), 'raw socket disconnected');
    expect(reasons.get(raw.sid)).toBe(reason);

    expect(await good.emitWithAck('echo', 'after the garbage')).toBe('after the garbage');
    expect(good.connected).toBe(true);
    expect(goodSocket.connected).toBe(true);
    expect(reasons.has(goodSocket.id)).toBe(false);
    expect(h.io.engine.sessionCount).toBe(1);
  });

  it('every kind of garbage at once, from many raw clients', async () => {
    const { h, good, goodSocket, reasons } = await setup();
    const clients = await Promise.all(GARBAGE.map(() => rawClient(h)));
    GARBAGE.forEach(({ frames }, i) => frames.forEach((frame) => clients[i]!.ws.send(frame)));
    await Promise.all(clients.map((raw) => raw.closed));
    expect(await good.emitWithAck('echo', 'survivor')).toBe('survivor');
    await until(() => clients.every((raw, i) => reasons.get(raw.sid) === GARBAGE[i]!.reason), 'every raw socket gone');
    expect(goodSocket.connected).toBe(true);
    expect(h.io.engine.sessionCount).toBe(1);
  });

  it('a connection that never joins a namespace is closed after connectTimeout', async () => {
    const h = await sio.start({ connectTimeout: 300 });
    const good = await h.connect('/', options, final);
    const started = Date.now();
    const raw = await rawClient(h, false);
    await raw.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(good.connected).toBe(true);
    await until(() => h.io.engine.sessionCount === 1, 'raw session gone');
  });

  it('a client asking for an unknown namespace is refused, not disconnected', async () => {
    const { h, good } = await setup();
    const raw = await rawClient(h);
    raw.ws.send('40/nope,');
    await until(() => raw.received.some((m) => m.startsWith('44/nope,')), 'CONNECT_ERROR');
    expect(JSON.parse(raw.received.find((m) => m.startsWith('44/nope,'))!.slice('44/nope,'.length))).toEqual({
      message: 'Invalid namespace',
    });
    raw.ws.send('421["echo","raw ok"]');
    await until(() => raw.received.includes('431["raw ok"]'), 'raw ack');
    expect(await good.emitWithAck('echo', 'fine')).toBe('fine');
  });
});

describe('garbage over raw polling', () => {
  it.each([
    ['42{}', 'forced close'],
    ['4abc', 'forced close'],
    ['42/never,["x"]', 'parse error'],
    // a second CONNECT for `/`, which the client already joined: a protocol violation too
    ['40', 'parse error'],
  ])('%s closes that session (%s); a socket.io-client carries on', async (garbage, reason) => {
    const h = await sio.start();
    const reasons = record(h.io, 'connection');
    h.io.on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
    const good = await h.connect('/', { transports: ['polling'] }, 'polling');

    const base = `${h.url}/socket.io/?EIO=4&transport=polling`;
    const open = await rawRequest(base);
    const { sid } = JSON.parse(open.body.toString().slice(1)) as { sid: string };
    const url = `${base}&sid=${sid}`;
    const post = (body: string) => rawRequest(url, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    expect((await post('40')).body.toString()).toBe('ok');
    expect((await rawRequest(url)).body.toString()).toMatch(/^40\{"sid":/);
    expect(reasons).toHaveLength(2);
    const rawSocket = reasons[1]![0] as Socket;
    const gone = new Promise<string>((resolve) => rawSocket.once('disconnect', resolve));

    expect((await post(garbage)).status).toBe(200);
    expect(await gone).toBe(reason);
    const answers: string[] = [];
    for (let i = 0; i < 3 && !answers.includes('400'); i++) {
      const res = await rawRequest(url);
      answers.push(res.status === 400 ? '400' : res.body.toString());
    }
    expect(answers[answers.length - 1]).toBe('400');
    // the close packet comes after a noop, as engine.io answers a poll once the session is closing
    expect(answers).toEqual(['6\x1e1', '400']);
    expect(await good.emitWithAck('echo', 'still polling')).toBe('still polling');
    expect(h.io.engine.sessionCount).toBe(1);
  });
});

describe('a message that does not decode, as socket.io reports it', () => {
  /** A raw client on `/`, with the server socket it got and what that socket saw, in order. */
  async function watched(h: SioHarness): Promise<{ raw: RawClient; socket: Socket; seen: string[] }> {
    const sockets = record(h.io, 'connection');
    const raw = await rawClient(h);
    await until(() => sockets.length === 1, 'server socket');
    const socket = sockets[0]![0] as Socket;
    const seen: string[] = [];
    socket.on('error', (err) => seen.push(`error: ${err.message}`));
    socket.on('disconnect', (reason) => seen.push(`disconnect: ${reason}`));
    return { raw, socket, seen };
  }

  it.each([
    ['a binary event with no attachment count (5woooot)', '45woooot'],
    ['a bare binary event type (5)', '45'],
  ])('%s is an "Illegal attachments" error on the socket, then a forced close', async (_what, frame) => {
    const h = await sio.start();
    const { raw, seen } = await watched(h);
    raw.ws.send(frame);
    await raw.closed;
    await until(() => seen.length === 2, 'error and disconnect');
    expect(seen[0]).toMatch(/^error: Illegal attachments/);
    expect(seen[1]).toBe('disconnect: forced close');
  });

  it('a null message from the transport is an error, then a forced close', async () => {
    const h = await sio.start();
    const { raw, socket, seen } = await watched(h);
    (socket.client as unknown as { ondata(data: unknown): void }).ondata(null);
    await raw.closed;
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^error: /);
    expect(seen[1]).toBe('disconnect: forced close');
  });

  it('a socket without an error listener just leaves (nothing is thrown or logged)', async () => {
    const h = await sio.start();
    const reasons: string[] = [];
    h.io.on('connection', (socket) => socket.on('disconnect', (reason) => reasons.push(reason)));
    const raw = await rawClient(h);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      raw.ws.send('45');
      await raw.closed;
      await until(() => reasons.length === 1, 'disconnect');
      expect(reasons).toEqual(['forced close']);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });
});
