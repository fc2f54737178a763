// The engine against the official client, engine.io-client 6, over real sockets.
import type { IncomingMessage } from 'node:http';
import { Socket, type SocketOptions, type TransportError } from 'engine.io-client';
import { describe, expect, it } from 'vitest';
import type { CloseReason, Engine, EngineConnectionError, Session } from '../src/index.js';
import { type Harness, until, useHarness, waitFor } from './helpers.js';

const t = useHarness();

type Transports = Array<'polling' | 'websocket'>;

function client(h: Harness, transports: Transports, options: SocketOptions = {}): Socket {
  const socket = new Socket(h.base, { path: '/engine.io', transports, ...options });
  t.defer(() => socket.close());
  return socket;
}

/** Starts the client and resolves with it and the server's session once both sides are open. */
async function connect(h: Harness, transports: Transports, options: SocketOptions = {}): Promise<{ socket: Socket; session: Session }> {
  const connection = waitFor<[Session]>(h.engine, 'connection');
  const socket = client(h, transports, options);
  await waitFor(socket, 'open');
  const [session] = await connection;
  expect(session.id).toBe(socket.id);
  return { socket, session };
}

function bytesOf(data: unknown): number[] {
  if (Buffer.isBuffer(data)) return [...data];
  if (data instanceof ArrayBuffer) return [...new Uint8Array(data)];
  throw new Error(`expected binary data, got ${typeof data}`);
}

const single: Array<[string, Transports]> = [
  ['polling', ['polling']],
  ['websocket', ['websocket']],
];

describe.each(single)('engine.io-client over %s only', (name, transports) => {
  it('connects and stays on its transport', async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, transports);
    expect(socket.transport.name).toBe(name);
    expect(session.transport.name).toBe(name);
  });

  it('carries text and binary both ways', async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, transports);
    const fromClient: Array<string | Buffer> = [];
    session.on('message', (data) => fromClient.push(data));
    const replies: unknown[] = [];
    socket.on('message', (data) => replies.push(data));

    socket.send('h\u00e9llo');
    socket.send(Uint8Array.from([1, 2, 3, 250]));
    await until(() => replies.length === 2);
    expect(fromClient[0]).toBe('h\u00e9llo');
    expect(Buffer.isBuffer(fromClient[1]) && [...fromClient[1]]).toEqual([1, 2, 3, 250]);
    expect(replies[0]).toBe('h\u00e9llo');
    expect(bytesOf(replies[1])).toEqual([1, 2, 3, 250]);

    const pushed = waitFor<[unknown]>(socket, 'message');
    session.send(Buffer.from([0, 255]));
    expect(bytesOf((await pushed)[0])).toEqual([0, 255]);
  });

  it('reaches the client when the server closes the session, after what was queued', async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, transports);
    await until(() => session.writable);
    const serverClosed = waitFor<[CloseReason]>(session, 'close');
    const events: string[] = [];
    socket.on('message', (data) => events.push(`message ${String(data)}`));
    socket.on('close', (reason) => events.push(`close ${reason}`));
    session.send('last words');
    session.close();
    expect((await serverClosed)[0]).toBe('forced close');
    await until(() => events.length === 2);
    expect(events).toEqual(['message last words', 'close transport close']);
  });

  it('lets a client that handles messages a tick later (as socket.io-client does) see them before the close', async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, transports);
    const events: string[] = [];
    socket.on('message', (data) => process.nextTick(() => events.push(`message ${String(data)}`)));
    socket.on('close', () => events.push('close'));
    await until(() => session.writable);
    session.send('one').send('two');
    session.close();
    await until(() => events.length === 3);
    expect(events).toEqual(['message one', 'message two', 'close']);
  });

  it("ends the server session with 'transport close' when the client closes", async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, transports);
    const closed = waitFor<[CloseReason]>(session, 'close');
    socket.close();
    expect((await closed)[0]).toBe('transport close');
    expect(h.engine.sessionCount).toBe(0);
  });

  it('closes a session whose client stops answering pings', async () => {
    // The server gives up pingTimeout after its ping; the client would give up only a full
    // pingInterval later, so the server is the one that ends it.
    const h = await t.start({ engine: { pingInterval: 500, pingTimeout: 300 } });
    const { socket, session } = await connect(h, transports);
    const transport = socket.transport as unknown as { send(packets: Array<{ type: string }>): void; emitReserved(event: 'drain'): void };
    const send = transport.send.bind(transport);
    transport.send = (packets) => {
      const kept = packets.filter((packet) => packet.type !== 'pong');
      if (kept.length > 0) send(kept);
      else process.nextTick(() => transport.emitReserved('drain'));
    };
    const pinged = waitFor(socket, 'ping');
    const clientClosed = waitFor<[string]>(socket, 'close', 10_000);
    const [reason] = await waitFor<[CloseReason]>(session, 'close');
    await pinged;
    expect(reason).toBe('ping timeout');
    expect((await clientClosed)[0]).not.toBe('ping timeout');
  });

  it('closes the session when the client sends more than maxHttpBufferSize', async () => {
    const h = await t.start({ engine: { maxHttpBufferSize: 1000 } });
    const { socket, session } = await connect(h, transports);
    const serverClosed = waitFor<[CloseReason, Error | undefined]>(session, 'close');
    const clientClosed = waitFor<[string, { context?: { code?: number } } | undefined]>(socket, 'close');
    const clientErrors: unknown[] = [];
    socket.on('error', (err) => clientErrors.push(err));
    const seen: unknown[] = [];
    session.on('message', (data) => seen.push(data));
    socket.send('x'.repeat(2000));
    const [reason, error] = await serverClosed;
    expect(reason).toBe('transport error');
    expect(error?.message).toMatch(name === 'polling' ? /maxHttpBufferSize/ : /max(imum)? ?payload|too big/i);
    if (name === 'polling') {
      // The POST is answered 413 and the held GET "1": the client closes on whichever it reads first.
      const [clientReason] = await clientClosed;
      expect(['transport error', 'transport close']).toContain(clientReason);
      if (clientReason === 'transport error') expect((clientErrors[0] as TransportError).description).toBe(413);
      expect(session.readyState).toBe('closed');
    } else {
      // The websocket is closed with 1009 (message too big).
      const [clientReason, details] = await clientClosed;
      expect(clientReason).toBe('transport close');
      expect(details?.context?.code).toBe(1009);
    }
    expect(seen).toEqual([]);
  });
});

describe('engine.io-client upgrading from polling to websocket', () => {
  it('switches to websocket on both sides', async () => {
    const h = await t.start();
    const { socket, session } = await connect(h, ['polling', 'websocket']);
    expect(socket.transport.name).toBe('polling');
    const serverUpgrade = waitFor<[{ name: string }]>(session, 'upgrade');
    await waitFor(socket, 'upgrade');
    expect(socket.transport.name).toBe('websocket');
    expect((await serverUpgrade)[0]).toBe(session.transport);
    expect(session.transport.name).toBe('websocket');
    expect(session.transport.name).toBe('websocket');
    const echoed = waitFor<[unknown]>(socket, 'message');
    socket.send(Uint8Array.from([9, 8, 7]));
    expect(bytesOf((await echoed)[0])).toEqual([9, 8, 7]);
  });

  it('loses and reorders nothing while the transport changes under traffic', async () => {
    const h = await t.start();
    const { socket } = await connect(h, ['polling', 'websocket']);
    const replies: unknown[] = [];
    socket.on('message', (data) => replies.push(data));
    const upgraded = waitFor(socket, 'upgrade');
    const sent: string[] = [];
    for (let i = 0; i < 60; i++) {
      sent.push(`m${i}`);
      socket.send(`m${i}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await upgraded;
    await until(() => replies.length === sent.length);
    expect(replies).toEqual(sent);
  });
});

describe('engine.io-client and an unknown session id', () => {
  /** One http server, two engines; the test decides which one answers requests and upgrades. */
  async function twoEngines() {
    const route: { request: Engine | undefined; upgrade: Engine | undefined } = { request: undefined, upgrade: undefined };
    const h = await t.start({
      attach: false,
      setup: (server) => {
        server.on('request', (req, res) => void (route.request ?? h.engine).handleRequest(req, res));
        server.on('upgrade', (req, socket, head) => void (route.upgrade ?? h.engine).handleUpgrade(req, socket, head));
      },
    });
    const other = t.engine();
    const refused: EngineConnectionError[] = [];
    other.on('connection_error', (error: EngineConnectionError, _req: IncomingMessage) => refused.push(error));
    return { h, other, route, refused };
  }

  it('closes the client with a transport error when its session is unknown, and a new client gets a new session', async () => {
    const { h, other, route, refused } = await twoEngines();
    const { socket } = await connect(h, ['polling']);
    const oldId = socket.id;
    route.request = other; // the session lives on the first engine only
    const error = waitFor<[TransportError]>(socket, 'error');
    const closed = waitFor<[string]>(socket, 'close');
    socket.send('lost');
    expect((await error)[0].description).toBe(400);
    expect((await closed)[0]).toBe('transport error');
    expect(refused[0]?.code).toBe(1);

    const connected = waitFor<[Session]>(other, 'connection');
    const again = client(h, ['polling']);
    await waitFor(again, 'open');
    expect(again.id).not.toBe(oldId);
    expect((await connected)[0].id).toBe(again.id);
  });

  it('stays on polling when the websocket probe names an unknown session', async () => {
    const { h, other, route, refused } = await twoEngines();
    route.upgrade = other;
    const { socket, session } = await connect(h, ['polling', 'websocket']);
    await waitFor(socket, 'upgradeError');
    expect(refused[0]?.code).toBe(1);
    expect(socket.transport.name).toBe('polling');
    expect(session.transport.name).toBe('polling');
    const echoed = waitFor<[unknown]>(socket, 'message');
    socket.send('still polling');
    expect((await echoed)[0]).toBe('still polling');
  });
});
