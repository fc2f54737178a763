// Namespaces: static ones, dynamic ones (by RegExp and by function), the new_namespace event, unknown
// namespaces, and the clean-up of empty dynamic children.
import { describe, expect, it } from 'vitest';
import { type Namespace, ParentNamespace, type Socket } from '../src/index.js';
import { once, record, TRANSPORTS, until, useSio } from './sio-helpers.js';

const sio = useSio();

function echo(socket: Socket): void {
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
}

describe('namespace lookup', () => {
  it('io.sockets is io.of("/"), and io.of returns one namespace per name', async () => {
    const { io } = await sio.start();
    expect(io.sockets).toBe(io.of('/'));
    expect(io.sockets.name).toBe('/');
    const x = io.of('/x');
    expect(io.of('/x')).toBe(x);
    expect(io.of('x')).toBe(x);
    expect(x.name).toBe('/x');
    expect(io.namespaces.get('/x')).toBe(x);
    expect(io.of(/^\/p-\d+$/)).toBeInstanceOf(ParentNamespace);
  });

  it('io.of(name, fn) adds fn as a connection listener', async () => {
    const h = await sio.start();
    const seen: Socket[] = [];
    h.io.of('/with-fn', (socket: Socket) => seen.push(socket));
    const [, socket] = await h.pair('/with-fn');
    expect(seen).toEqual([socket]);
  });
});

describe.each(TRANSPORTS)('namespaces over $name', ({ options, final }) => {
  it('a static namespace gets its own sockets; the main namespace does not see them', async () => {
    const h = await sio.start();
    const root = record(h.io, 'connection');
    const x = h.io.of('/x');
    const inX = record(x, 'connection');
    x.on('connection', echo);
    const [client, socket] = await h.pair('/x', options, final);
    expect(socket.nsp).toBe(x);
    expect(inX).toEqual([[socket]]);
    expect(root).toEqual([]);
    expect(h.io.sockets.sockets.size).toBe(0);
    expect(x.sockets.get(socket.id)).toBe(socket);
    expect(await client.emitWithAck('echo', 'in x')).toBe('in x');
  });

  it('an unknown namespace gets connect_error "Invalid namespace"; the connection serves the others', async () => {
    const h = await sio.start();
    const created = record(h.io, 'new_namespace');
    h.io.on('connection', echo);
    const { socket } = h.manager(options);
    const main = socket('/');
    const nope = socket('/nope');
    const [err] = await once<[Error]>(nope, 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    expect(nope.connected).toBe(false);
    expect(h.io.namespaces.has('/nope')).toBe(false);
    expect(created).toEqual([]);
    if (!main.connected) await once(main, 'connect');
    expect(await main.emitWithAck('echo', 'still here')).toBe('still here');
  });

  it('a RegExp parent creates matching children on first connection, with new_namespace', async () => {
    const h = await sio.start();
    const created = record(h.io, 'new_namespace') as Array<[Namespace]>;
    const parent = h.io.of(/^\/dyn-\d+$/);
    const viaParent = record(parent, 'connection');
    parent.on('connection', echo);
    expect(created).toEqual([]);

    const [client, socket] = await h.pair('/dyn-42', options, final);
    const child = socket.nsp;
    expect(child.name).toBe('/dyn-42');
    expect(child).not.toBe(parent);
    expect((parent as ParentNamespace).children.has(child)).toBe(true);
    expect(h.io.of('/dyn-42')).toBe(child);
    expect(created.map(([nsp]) => nsp)).toEqual([child]);
    expect(viaParent).toEqual([[socket]]);
    expect(await client.emitWithAck('echo', 42)).toBe(42);

    const [, second] = await h.pair('/dyn-42', options, final);
    expect(second.nsp).toBe(child);
    expect(created).toHaveLength(1);
    expect(viaParent).toHaveLength(2);

    const [err] = await once<[Error]>(h.client('/dyn-x', options), 'connect_error');
    expect(err.message).toBe('Invalid namespace');
  });

  it('an emit on the parent reaches the sockets of every child', async () => {
    const h = await sio.start();
    const parent = h.io.of(/^\/team-[a-z]$/);
    const a = await h.connect('/team-a', options, final);
    const b = await h.connect('/team-b', options, final);
    const heard = Promise.all([once(a, 'news'), once(b, 'news')]);
    parent.emit('news', 'for all teams');
    expect(await heard).toEqual([['for all teams'], ['for all teams']]);
  });

  it('room broadcasts, fetchSockets and socketsJoin on the parent reach into every child', async () => {
    const h = await sio.start();
    const parent = h.io.of(/^\/room-[a-z]$/);
    const [a, serverA] = await h.pair('/room-a', options, final);
    const [b] = await h.pair('/room-b', options, final);
    serverA.join('vip');
    const heardB = record(b, 'vip-news');
    const heardA = once(a, 'vip-news');
    parent.to('vip').emit('vip-news', 'only a');
    expect(await heardA).toEqual(['only a']);
    expect(heardB).toEqual([]);
    const all = await parent.fetchSockets();
    expect(all).toHaveLength(2);
    expect((await parent.in('vip').fetchSockets()).map((s) => s.id)).toEqual([serverA.id]);
    parent.socketsJoin('everyone');
    const both = Promise.all([once(a, 'hi'), once(b, 'hi')]);
    parent.to('everyone').emit('hi');
    await both;
    expect(() => parent.timeout(100).emit('ask', () => {})).toThrow(/not supported on a dynamic parent/);
  });

  it('a function parent decides by name and auth, synchronously or later', async () => {
    const h = await sio.start();
    const asked: Array<[string, unknown]> = [];
    const parent = h.io.of((name, auth, next) => {
      asked.push([name, auth]);
      setTimeout(() => next(null, name.startsWith('/fn-') && auth.key === 'k'), 20);
    });
    parent.on('connection', echo);
    const [client, socket] = await h.pair('/fn-1', { ...options, auth: { key: 'k' } }, final);
    expect(socket.nsp.name).toBe('/fn-1');
    expect(asked).toEqual([['/fn-1', { key: 'k' }]]);
    expect(await client.emitWithAck('echo', 'fn')).toBe('fn');

    const [err] = await once<[Error]>(h.client('/fn-2', { ...options, auth: { key: 'wrong' } }), 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    expect(h.io.namespaces.has('/fn-2')).toBe(false);
  });

  it('a parent whose matcher throws refuses the namespace without hurting the server', async () => {
    const h = await sio.start();
    h.io.of(() => {
      throw new Error('matcher bug');
    });
    const [err] = await once<[Error]>(h.client('/any', options), 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    await h.connect('/', options, final);
  });

  it('cleanupEmptyChildNamespaces drops a child once its last socket leaves', async () => {
    const h = await sio.start({ cleanupEmptyChildNamespaces: true });
    const created = record(h.io, 'new_namespace') as Array<[Namespace]>;
    const parent = h.io.of(/^\/room-\d+$/) as ParentNamespace;
    const staticNsp = h.io.of('/static');
    const [first, s1] = await h.pair('/room-1', options, final);
    const [second] = await h.pair('/room-1', options, final);
    const [onStatic] = await h.pair('/static', options, final);
    const child = s1.nsp;

    first.disconnect();
    await until(() => child.sockets.size === 1, 'first socket gone');
    expect(h.io.namespaces.get('/room-1')).toBe(child);
    second.disconnect();
    await until(() => !h.io.namespaces.has('/room-1'), 'child dropped');
    expect(parent.children.has(child)).toBe(false);

    onStatic.disconnect();
    await until(() => staticNsp.sockets.size === 0, 'static socket gone');
    expect(h.io.namespaces.get('/static')).toBe(staticNsp);

    const [, again] = await h.pair('/room-1', options, final);
    expect(again.nsp).not.toBe(child);
    expect(parent.children.has(again.nsp)).toBe(true);
    expect(created.map(([nsp]) => nsp.name)).toEqual(['/static', '/room-1', '/room-1']);
  });

  it('without cleanupEmptyChildNamespaces an empty child stays', async () => {
    const h = await sio.start();
    h.io.of(/^\/keep-\d+$/);
    const [client, socket] = await h.pair('/keep-1', options, final);
    const gone = once(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(h.io.namespaces.get('/keep-1')).toBe(socket.nsp);
  });
});
