// The server-side Socket: what it knows of its client, emits with acknowledgements (and timeouts), rooms,
// broadcasts from a socket, and the ways a socket leaves.
import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { ALL_TRANSPORTS, drained, mainAndX, once, record, TRANSPORTS, until, useSio } from './sio-helpers.js';

const sio = useSio();

describe.each(ALL_TRANSPORTS)('socket properties over $name', ({ options, final }) => {
  it('id, handshake, request, rooms, data, connected, conn', async () => {
    const h = await sio.start();
    const before = Date.now();
    const [client, socket] = await h.pair(
      '/',
      { ...options, query: { foo: 'bar' }, auth: { token: 'abc', n: 1 }, extraHeaders: { 'x-custom': 'yes' } },
      final,
    );
    expect(socket.id).toBe(client.id);
    expect(socket.id).not.toBe(socket.conn.id);
    expect(socket.conn.id).toBe(client.io.engine.id);
    expect(socket.connected).toBe(true);
    expect(socket.rooms).toEqual(new Set([socket.id]));
    expect(socket.data).toEqual({});
    // The client reports its upgrade before the server has processed it.
    await until(() => socket.conn.transport.name === final, `server on ${final}`);

    const hs = socket.handshake;
    expect(hs.headers['x-custom']).toBe('yes');
    expect(hs.headers.host).toBe(`127.0.0.1:${h.port}`);
    expect(hs.query.foo).toBe('bar');
    expect(hs.query.EIO).toBe('4');
    expect(hs.query.transport).toBe(options.transports![0]);
    expect(hs.auth).toEqual({ token: 'abc', n: 1 });
    expect(hs.address).toBe('127.0.0.1');
    expect(hs.secure).toBe(false);
    expect(hs.xdomain).toBe(false);
    expect(hs.url).toMatch(/^\/socket\.io\/\?/);
    expect(hs.url).toContain('foo=bar');
    expect(hs.issued).toBeGreaterThanOrEqual(before);
    expect(hs.issued).toBeLessThanOrEqual(Date.now());
    expect(typeof hs.time).toBe('string');
    expect(Math.abs(new Date(hs.time).getTime() - hs.issued)).toBeLessThan(1000);

    expect(socket.request.headers['x-custom']).toBe('yes');
    expect(socket.request.url).toBe(hs.url);
  });

  it('handshake.xdomain is true when the client sends an Origin', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/', { ...options, extraHeaders: { origin: 'https://elsewhere.example' } }, final);
    expect(socket.handshake.xdomain).toBe(true);
    expect(socket.handshake.headers.origin).toBe('https://elsewhere.example');
  });
});

describe('what a socket makes on first use', () => {
  it('two sockets without auth each get their own handshake.auth and data, writable; data keeps what is set', async () => {
    const h = await sio.start();
    const [, a] = await h.pair('/', { transports: ['websocket'] }, 'websocket');
    const [, b] = await h.pair('/', { transports: ['websocket'] }, 'websocket');
    expect(a.handshake.auth).toEqual({});
    expect(a.handshake.auth).not.toBe(b.handshake.auth);
    a.handshake.auth.user = 'ada';
    expect(b.handshake.auth).toEqual({});
    expect(Object.isFrozen(a.data)).toBe(false);
    expect(a.data).not.toBe(b.data);
    (a.data as Record<string, unknown>).n = 1;
    expect(a.data).toEqual({ n: 1 });
    expect(b.data).toEqual({});
    b.data = undefined;
    expect(b.data).toBeUndefined();
    b.data = { name: 'grace' };
    expect(b.data).toEqual({ name: 'grace' });
  });

  it("a parent namespace's matcher gets the object that becomes handshake.auth", async () => {
    const h = await sio.start();
    h.io.of((_name, auth, next) => {
      auth.seen = true;
      next(null, true);
    });
    const [, socket] = await h.pair('/dyn', { transports: ['websocket'] }, 'websocket');
    expect(socket.handshake.auth).toEqual({ seen: true });
  });

  it("the client hears the session's messages and end first; conn listeners added later still hear both", async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', { transports: ['websocket'] }, 'websocket');
    const heard: string[] = [];
    socket.conn.on('data', (data) => heard.push(`message ${String(data)}`));
    socket.conn.on('close', (reason) => heard.push(`close ${reason} connected=${socket.connected}`));
    socket.on('ping', () => heard.push('event'));
    client.emit('ping');
    await until(() => heard.length >= 2, 'the message');
    // The engine closes without a Socket.IO DISCONNECT: the socket leaves on the session's end alone.
    client.io.engine.close();
    await until(() => heard.length >= 3, 'the close');
    expect(heard).toEqual(['message 2["ping"]', 'event', 'close transport close connected=false']);
  });
});

describe.each(TRANSPORTS)('acknowledgements over $name', ({ options, final }) => {
  it('emit with a callback gets the client acknowledgement; emitWithAck resolves with it', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    client.on('double', (n: number, ack: (v: number) => void) => ack(n * 2));
    const viaCallback = await new Promise((resolve) => socket.emit('double', 21, (...args: unknown[]) => resolve(args)));
    expect(viaCallback).toEqual([42]);
    expect(await socket.emitWithAck('double', 5)).toBe(10);
    expect(await socket.timeout(5000).emitWithAck('double', 7)).toBe(14);
    const withTimeout = await new Promise((resolve) =>
      socket.timeout(5000).emit('double', 1, (...args: unknown[]) => resolve(args)),
    );
    expect(withTimeout).toEqual([null, 2]);
  });

  it('the client acknowledges events it emits; the server ack carries several values', async () => {
    const h = await sio.start();
    h.io.on('connection', (socket) => socket.on('sum', (a: number, b: number, ack: (...v: unknown[]) => void) => ack(a + b, 'ok')));
    const client = await h.connect('/', options, final);
    const answer = await new Promise((resolve) => client.emit('sum', 2, 3, (...args: unknown[]) => resolve(args)));
    expect(answer).toEqual([5, 'ok']);
  });

  it('timeout(ms).emit calls back with an error when the client never acknowledges', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const got = record(client, 'ignored');
    const started = Date.now();
    const [err, ...rest] = await new Promise<unknown[]>((resolve) =>
      socket.timeout(300).emit('ignored', 'x', (...args: unknown[]) => resolve(args)),
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('operation has timed out');
    expect(rest).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(got).toHaveLength(1);
    await expect(socket.timeout(200).emitWithAck('ignored')).rejects.toThrow('operation has timed out');
    // The flag applied to one emit only: the next ack without timeout still works.
    client.on('ping-me', (ack: (v: string) => void) => ack('pong'));
    expect(await socket.emitWithAck('ping-me')).toBe('pong');
  });

  it('a pending acknowledgement with a timeout fails at once when the socket disconnects', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    client.on('never', () => {});
    const pending = socket.timeout(10_000).emitWithAck('never');
    await once(client, 'never');
    const started = Date.now();
    client.disconnect();
    await expect(pending).rejects.toThrow('socket has been disconnected');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe.each(TRANSPORTS)('rooms and broadcasts from a socket over $name', ({ options, final }) => {
  it('join and leave change socket.rooms and the adapter', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/', options, final);
    socket.join('a');
    socket.join(['b', 'c']);
    expect(socket.rooms).toEqual(new Set([socket.id, 'a', 'b', 'c']));
    expect(h.io.sockets.adapter.rooms.get('b')).toEqual(new Set([socket.id]));
    socket.leave('b');
    expect(socket.rooms).toEqual(new Set([socket.id, 'a', 'c']));
    expect(h.io.sockets.adapter.rooms.has('b')).toBe(false);
  });

  it('to/in/except/broadcast reach the right sockets and never the sender', async () => {
    const h = await sio.start();
    const [a, sa] = await h.pair('/', options, final);
    const [b, sb] = await h.pair('/', options, final);
    const [c] = await h.pair('/', options, final);
    sa.join('r');
    sb.join('r');
    const heard = { a: record(a, 'm'), b: record(b, 'm'), c: record(c, 'm') };
    await drained([a, b, c], () => {
      sa.to('r').emit('m', 'to');
      sa.in('r').emit('m', 'in');
      sa.broadcast.emit('m', 'broadcast');
      sa.except('r').emit('m', 'except');
      sa.broadcast.except(sb.id).emit('m', 'except-id');
      h.io.emit('end');
    });
    expect(heard.a).toEqual([]);
    expect(heard.b).toEqual([['to'], ['in'], ['broadcast']]);
    expect(heard.c).toEqual([['broadcast'], ['except'], ['except-id']]);
  });

  it('compress(false) emits are delivered, and a volatile emit on an idle connection', async () => {
    const h = await sio.start({ perMessageDeflate: { threshold: 0 } });
    const [client, socket] = await h.pair('/', options, final);
    const volatileSeen = record(client, 'v');
    const compressed = once(client, 'c');
    socket.compress(false).emit('c', 'x'.repeat(2000));
    expect(await compressed).toEqual(['x'.repeat(2000)]);
    await until(() => socket.conn.writable, 'an idle connection');
    await drained([client], () => {
      socket.volatile.emit('v', 1);
      socket.emit('end');
    });
    expect(volatileSeen).toEqual([[1]]);
  });
});

describe.each(TRANSPORTS)('leaving over $name', ({ options, final }) => {
  it('disconnect() ends this namespace: "io server disconnect" / "server namespace disconnect"', async () => {
    const h = await sio.start();
    h.io.on('connection', (s) => s.on('echo', (v: unknown, ack: (x: unknown) => void) => ack(v)));
    const { main, x, sx } = await mainAndX(h, options);
    const serverSide = once<[string]>(sx, 'disconnect');
    const clientSide = once<[string]>(x, 'disconnect');
    sx.join('room');
    sx.disconnect();
    expect((await serverSide)[0]).toBe('server namespace disconnect');
    expect((await clientSide)[0]).toBe('io server disconnect');
    expect(sx.connected).toBe(false);
    expect(h.io.of('/x').sockets.size).toBe(0);
    expect(h.io.of('/x').adapter.rooms.has('room')).toBe(false);
    // The connection itself stays for the other namespace.
    expect(await main.emitWithAck('echo', 'alive')).toBe('alive');
    expect(h.io.engine.sessionCount).toBe(1);
  });

  it('disconnect(true) disconnects every socket of the connection, then closes it', async () => {
    const h = await sio.start();
    const { main, x, sMain, sx } = await mainAndX(h, options);
    const reasons = Promise.all([once<[string]>(sMain, 'disconnect'), once<[string]>(sx, 'disconnect')]);
    const clientsGone = Promise.all([once(main, 'disconnect'), once(x, 'disconnect')]);
    sx.disconnect(true);
    expect((await reasons).map(([reason]) => reason)).toEqual(['server namespace disconnect', 'server namespace disconnect']);
    expect(h.io.sockets.sockets.size + h.io.of('/x').sockets.size).toBe(0);
    await clientsGone;
    await until(() => h.io.engine.sessionCount === 0, 'connection closed');
  });

  // Over polling this needs the close packet in a poll response of its own: socket.io-client acts on a
  // close in the same body before the packets queued ahead of it.
  it(
    'disconnect(true): the client gets what was sent before and "io server disconnect"',
    async () => {
      const h = await sio.start();
      const [client, socket] = await h.pair('/', options, final);
      const byes = record(client, 'bye');
      const reason = once<[string]>(client, 'disconnect');
      socket.emit('bye', 1);
      socket.disconnect(true);
      // As in socket.io: the client is told, so it does not try to reconnect.
      expect((await reason)[0]).toBe('io server disconnect');
      expect(byes).toEqual([[1]]);
    },
  );

  it('a client disconnect gives "client namespace disconnect"; disconnecting still sees the rooms', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    socket.join(['r1', 'r2']);
    let roomsWhileDisconnecting: Set<string> | undefined;
    socket.on('disconnecting', () => (roomsWhileDisconnecting = new Set(socket.rooms)));
    const order: string[] = [];
    socket.on('disconnecting', (reason) => order.push(`disconnecting:${reason}`));
    socket.on('disconnect', (reason) => order.push(`disconnect:${reason}`));
    const gone = once(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(order).toEqual(['disconnecting:client namespace disconnect', 'disconnect:client namespace disconnect']);
    expect(roomsWhileDisconnecting).toEqual(new Set([socket.id, 'r1', 'r2']));
    expect(socket.rooms).toEqual(new Set());
    expect(socket.connected).toBe(false);
    expect(h.io.sockets.sockets.has(socket.id)).toBe(false);
  });

  it('emits on a disconnected socket are dropped quietly', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const gone = once(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(() => socket.emit('late', 1)).not.toThrow();
    expect(socket.disconnect()).toBe(socket as Socket);
  });
});
