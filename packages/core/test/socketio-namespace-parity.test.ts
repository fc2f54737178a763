// What socket.io's own API offers around namespaces, which add-ons (the Admin UI, adapters) and
// socket.io's test suite read: io.allSockets and io._nsps, nsp.server, the broadcast operator's rooms,
// exceptRooms and flags, children adopted by a RegExp parent, refused children kept or dropped.
import { describe, expect, it } from 'vitest';
import type { ParentNamespace } from '../src/index.js';
import { once, record, until, useSio } from './sio-helpers.js';

const sio = useSio();

describe('server aliases', () => {
  it('io.allSockets() lists the sockets of the main namespace; nsp.in(room).allSockets() those of a room', async () => {
    const h = await sio.start();
    h.io.of('/other');
    const [, a] = await h.pair('/');
    const [, b] = await h.pair('/');
    const [, other] = await h.pair('/other');
    a.join('red');
    other.join('red');
    expect(await h.io.allSockets()).toEqual(new Set([a.id, b.id]));
    expect(await h.io.of('/').allSockets()).toEqual(new Set([a.id, b.id]));
    expect(await h.io.in('red').allSockets()).toEqual(new Set([a.id]));
    expect(await h.io.of('/other').to('red').allSockets()).toEqual(new Set([other.id]));
  });

  it('io._nsps is the live map of namespaces by name, and nsp.server the Server', async () => {
    const h = await sio.start();
    const nsps = h.io._nsps;
    expect(nsps).toBeInstanceOf(Map);
    expect(nsps).toBe(h.io.namespaces);
    const chat = h.io.of('/chat');
    expect(nsps.get('/chat')).toBe(chat);
    expect(chat.server).toBe(h.io);
    expect(h.io.sockets.server).toBe(h.io);
  });
});

describe('the broadcast operator', () => {
  it('shows its rooms, exceptRooms and flags, and each step returns a new operator', async () => {
    const h = await sio.start();
    const operator = h.io.local.to(['room1', 'room2']).except('room3');
    operator.compress(true).emit('hello');
    operator.volatile.emit('hello');
    operator.to('room4').emit('hello');
    operator.except('room5').emit('hello');
    expect([...operator.rooms]).toEqual(['room1', 'room2']);
    expect([...operator.exceptRooms]).toEqual(['room3']);
    expect(operator.flags).toEqual({ local: true });
  });

  it('from a socket, the socket itself is among exceptRooms', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/');
    const operator = socket.local.compress(false).to('room1');
    expect([...operator.exceptRooms]).toEqual([socket.id]);
    expect(operator.flags).toEqual({ local: true, compress: false });
  });

  it('a broadcast emitWithAck that times out rejects with the responses that did arrive', async () => {
    const h = await sio.start();
    const answering = await h.connect('/');
    const silent = await h.connect('/');
    answering.on('ask', (ack: (v: unknown) => void) => ack('here'));
    silent.on('ask', () => {});
    const err = (await h.io.timeout(200).emitWithAck('ask').catch((e: unknown) => e)) as Error & { responses: unknown[] };
    expect(err).toBeInstanceOf(Error);
    expect(err.responses).toEqual(['here']);
  });
});

describe('children of a RegExp parent', () => {
  it('io.of(name) for a name the parent matches makes it a child (with new_namespace)', async () => {
    const h = await sio.start();
    const created = record(h.io, 'new_namespace');
    const parent = h.io.of(/^\/dyn-\d+$/) as ParentNamespace;
    const seen = record(parent, 'connection');
    const child = h.io.of('/dyn-1');
    expect(parent.children.has(child)).toBe(true);
    expect(h.io.of('/dyn-1')).toBe(child);
    expect(created.map(([nsp]) => (nsp as { name: string }).name)).toEqual(['/dyn-1']);
    await h.connect('/dyn-1');
    expect(seen).toHaveLength(1);
  });

  it('a function parent adopts nothing created by name (it needs a client to decide)', async () => {
    const h = await sio.start();
    const parent = h.io.of((_name, _auth, next) => next(null, true)) as ParentNamespace;
    const plain = h.io.of('/plain');
    expect(parent.children.has(plain)).toBe(false);
  });

  it.each([
    [false, true],
    [true, false],
  ])('cleanupEmptyChildNamespaces %s: a child refused by its middleware stays: %s', async (cleanup, stays) => {
    const h = await sio.start({ cleanupEmptyChildNamespaces: cleanup });
    h.io.of(/^\/dyn-\d+$/).use((_socket, next) => next(new Error('no')));
    await once(h.client('/dyn-7', { transports: ['websocket'] }), 'connect_error');
    await until(() => h.io._nsps.has('/dyn-7') === stays, 'namespace kept or dropped', 1000);
    if (stays) expect(h.io._nsps.get('/dyn-7')!.sockets.size).toBe(0);
  });
});
