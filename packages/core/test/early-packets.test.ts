// Packets a client sends before its namespace can take them are kept up to a bound, then the connection is
// closed with ERR_REALTIME_TOO_MANY_EARLY_PACKETS: a 0.9 client while a namespace's middleware runs, any
// client while a class namespace's async initialize() runs. Below the bound they are all delivered, in order.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BaseNamespace, type Socket } from '../src/index.js';
import { handshake, useLegacy } from './legacy-helpers.js';
import { once, until } from './sio-helpers.js';

const { start } = useLegacy();

let release: Array<() => void> = [];
afterEach(() => {
  for (const done of release) done();
  release = [];
});

/** A raw 0.9 websocket for a fresh session; its frames are written as given. */
async function rawSession(port: number, url: string): Promise<{ sid: string; ws: WebSocket }> {
  const sid = await handshake(url);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/1/websocket/${sid}`);
  ws.on('error', () => {});
  release.push(() => ws.terminate());
  await new Promise((resolve) => ws.once('open', resolve));
  return { sid, ws };
}

/** Resolves once the server has taken every frame `ws` sent before: `/` answers an event with an ack. */
async function synced(ws: WebSocket): Promise<void> {
  const answered = new Promise<void>((resolve) => {
    const onFrame = (data: unknown): void => {
      if (String(data) !== '6:::1+[]') return;
      ws.off('message', onFrame);
      resolve();
    };
    ws.on('message', onFrame);
  });
  ws.send('5:1+::{"name":"sync"}');
  await answered;
}

describe('a 0.9 client that sends while a namespace middleware runs', () => {
  it('has its events replayed in order once the middleware lets it in', async () => {
    const h = await start();
    let letIn: (() => void) | undefined;
    h.io.of('/slow').use((_socket, next) => void (letIn = next));
    const got: number[] = [];
    h.io.on('connection', (socket: Socket) => socket.on('sync', (ack: () => void) => ack()));
    h.io.of('/slow').on('connection', (socket: Socket) => socket.on('n', (n: number) => got.push(n)));
    const { ws } = await rawSession(h.port, h.url);
    ws.send('1::/slow');
    for (let n = 0; n < 100; n++) ws.send(`5::/slow:{"name":"n","args":[${n}]}`);
    await synced(ws);
    expect(letIn).toBeDefined();
    letIn!();
    await until(() => got.length === 100);
    expect(got).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  it('is closed with ERR_REALTIME_TOO_MANY_EARLY_PACKETS past 100 of them', async () => {
    const h = await start();
    h.io.of('/slow').use((_socket, next) => void release.push(() => next(new Error('test over'))));
    const { sid, ws } = await rawSession(h.port, h.url);
    await until(() => h.io.legacyEngine!.sessions.has(sid));
    const session = h.io.legacyEngine!.sessions.get(sid)!;
    const closed = new Promise<[string, Error | undefined]>((resolve) => session.once('close', (reason, error) => resolve([reason, error])));
    ws.send('1::/slow');
    for (let n = 0; n < 101; n++) ws.send(`5::/slow:{"name":"n","args":[${n}]}`);
    const [reason, error] = await closed;
    expect(reason).toBe('forced close');
    expect((error as { code?: string } | undefined)?.code).toBe('ERR_REALTIME_TOO_MANY_EARLY_PACKETS');
  });
});

describe('a client that sends while a class namespace initializes', () => {
  async function setup(): Promise<{ h: Awaited<ReturnType<typeof start>>; initialized: Array<() => void>; got: number[]; errors: string[] }> {
    const h = await start();
    const initialized: Array<() => void> = [];
    const got: number[] = [];
    class Slow extends BaseNamespace {
      override initialize(): Promise<void> {
        return new Promise((resolve) => {
          initialized.push(resolve);
          release.push(resolve);
        });
      }
      onN(n: number) {
        got.push(n);
      }
    }
    h.io.register('/slow', Slow);
    const errors: string[] = [];
    h.io.of('/slow').on('connection', (socket: Socket) => socket.on('error', (err: Error & { code?: string }) => errors.push(err.code ?? '')));
    h.io.on('connection', (socket: Socket) => socket.on('sync', (ack: () => void) => ack()));
    return { h, initialized, got, errors };
  }

  it('has its events dispatched in order once initialize() resolves', async () => {
    const { h, initialized, got, errors } = await setup();
    const { socket } = h.sio.manager({ transports: ['websocket'] });
    const main = socket('/');
    const slow = socket('/slow');
    await Promise.all([once(main, 'connect'), once(slow, 'connect')]);
    for (let n = 0; n < 100; n++) slow.emit('n', n);
    await main.emitWithAck('sync'); // the same connection: the 100 are in
    expect(got).toEqual([]);
    initialized[0]!();
    await until(() => got.length === 100);
    expect(got).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(errors).toEqual([]);
    expect(slow.connected).toBe(true);
  });

  it('is disconnected with ERR_REALTIME_TOO_MANY_EARLY_PACKETS past 100 of them', async () => {
    const { h, got, errors } = await setup();
    const { socket } = h.sio.manager({ transports: ['websocket'], reconnection: false });
    const slow = socket('/slow');
    await once(slow, 'connect');
    const gone = once(slow, 'disconnect');
    for (let n = 0; n < 101; n++) slow.emit('n', n);
    await gone;
    expect(errors).toEqual(['ERR_REALTIME_TOO_MANY_EARLY_PACKETS']);
    expect(got).toEqual([]);
  });
});
