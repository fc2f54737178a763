// Deeply nested JSON: refused at decode time on every generation (maxNestingDepth), closing only the
// session that sent it while another client's echo keeps working; and a packet the server cannot encode
// answers its client (the socket is disconnected) with one line logged, not a stack per packet.
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from '../src/index.js';
import { useLegacy } from './legacy-helpers.js';
import { rawRequest, until } from './sio-helpers.js';

const { start } = useLegacy();

const LEVELS = 100_000;
const DEEP = '['.repeat(LEVELS) + ']'.repeat(LEVELS);

let raws: WebSocket[] = [];
afterEach(() => {
  for (const ws of raws) ws.terminate();
  raws = [];
  vi.restoreAllMocks();
});

/** A raw websocket; resolves once the server's first frame arrived. */
async function raw(url: string): Promise<{ ws: WebSocket; frames: string[]; closed: Promise<void> }> {
  const ws = new WebSocket(url);
  raws.push(ws);
  const frames: string[] = [];
  ws.on('message', (data) => frames.push(String(data)));
  ws.on('error', () => {});
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await until(() => frames.length > 0, 'first frame', 5000);
  return { ws, frames, closed };
}

/** The deep frame each generation's raw client sends (already joined to `/`), and how it joins. */
const GENERATIONS = [
  { name: 'Engine.IO v4 / Socket.IO v5', eio: '4', join: '40', joined: '40{', frame: `42["echo",${DEEP}]` },
  { name: 'Engine.IO v3 / Socket.IO v4', eio: '3', join: undefined, joined: '40', frame: `42["echo",${DEEP}]` },
] as const;

/** A server (maxNestingDepth 32) with an echo, a socket.io-client 4 over websocket, and why its sockets left. */
async function echoServer() {
  const h = await start({ maxNestingDepth: 32 });
  const reasons: string[] = [];
  h.io.on('connection', (socket: Socket) => {
    socket.on('echo', (value: unknown, ack?: (v: unknown) => void) => ack?.(value));
    socket.on('disconnect', (reason) => reasons.push(reason));
  });
  const good = await h.sio.connect('/', { transports: ['websocket'] });
  return { h, reasons, good };
}

describe('JSON nesting is bounded at decode time (maxNestingDepth)', () => {
  it.each(GENERATIONS)('$name: 100,000 levels close that session only; another client keeps echoing', async (gen) => {
    const { h, reasons, good } = await echoServer();
    const peer = await raw(`ws://127.0.0.1:${h.port}/socket.io/?EIO=${gen.eio}&transport=websocket`);
    if (gen.join !== undefined) peer.ws.send(gen.join);
    await until(() => peer.frames.some((f) => f.startsWith(gen.joined)));
    await until(() => h.io.sockets.sockets.size === 2);
    peer.ws.send(gen.frame);
    await peer.closed;
    expect(reasons).toEqual(['forced close']);
    // At the limit still goes through; the bystander's echo still works.
    const nested = JSON.parse('['.repeat(30) + '1' + ']'.repeat(30)) as unknown;
    expect(await good.emitWithAck('echo', nested)).toEqual(nested);
    expect(h.io.sockets.sockets.size).toBe(1);
  });

  it('0.9: 100,000 levels close that session only (parse error); another client keeps echoing', async () => {
    const { h, reasons, good } = await echoServer();
    const sid = (await rawRequest(`${h.url}/socket.io/1/`)).body.toString().split(':')[0]!;
    const peer = await raw(`ws://127.0.0.1:${h.port}/socket.io/1/websocket/${sid}`);
    await until(() => h.io.sockets.sockets.size === 2);
    peer.ws.send(`5:::{"name":"echo","args":[${DEEP}]}`);
    await peer.closed;
    expect(reasons).toEqual(['parse error']);
    expect(await good.emitWithAck('echo', [[['ok']]])).toEqual([[['ok']]]);
  });

  it('has a default that refuses 100,000 levels and lets ordinary data through', async () => {
    const h = await start();
    h.io.on('connection', (socket: Socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
    const good = await h.sio.connect('/', { transports: ['websocket'] });
    const peer = await raw(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket`);
    peer.ws.send('40');
    await until(() => h.io.sockets.sockets.size === 2);
    peer.ws.send(`42["echo",${DEEP}]`);
    await peer.closed;
    const nested = JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)) as unknown;
    expect(await good.emitWithAck('echo', nested)).toEqual(nested);
  });

  it('refuses an option that is not a positive integer', async () => {
    await expect(start({ maxNestingDepth: 0 })).rejects.toThrow(/maxNestingDepth must be a positive integer/);
  });
});

describe('a packet the server cannot encode', () => {
  function deepValue(levels: number): unknown {
    let value: unknown = [];
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  }

  it.each(['websocket', 'polling'] as const)('over %s: the client is answered with a disconnect, and one line is logged', async (transport) => {
    const h = await start();
    const logged: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    const reasons: string[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.on('deep', (ack: (v: unknown) => void) => ack(deepValue(LEVELS)));
      socket.on('disconnect', (reason) => reasons.push(reason));
    });
    const client = await h.sio.connect('/', { transports: [transport] });
    const disconnected = new Promise<string>((resolve) => client.once('disconnect', resolve));
    client.emit('deep', () => {});
    expect(await disconnected).toBe('io server disconnect');
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['server namespace disconnect']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toHaveLength(1);
    expect(String(logged[0]![0])).toMatch(/^\[switchyard\] .*could not be encoded.*\n?$/);
    expect(String(logged[0]![0])).not.toContain('\n    at ');
  });

  it('0.9: the client is answered with a disconnect, and one line is logged', async () => {
    const h = await start();
    const logged: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    h.io.on('connection', (socket: Socket) => socket.on('deep', (ack: (v: unknown) => void) => ack(deepValue(LEVELS))));
    const sid = (await rawRequest(`${h.url}/socket.io/1/`)).body.toString().split(':')[0]!;
    const peer = await raw(`ws://127.0.0.1:${h.port}/socket.io/1/websocket/${sid}`);
    await until(() => h.io.sockets.sockets.size === 1);
    peer.ws.send('5:1+::{"name":"deep"}');
    await until(() => peer.frames.includes('0::'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toHaveLength(1);
    expect(String(logged[0]![0])).toMatch(/could not be encoded/);
  });
});
