// Broadcasts from the server and namespaces, with and without acknowledgements, and the operations on
// many sockets at once: socketsJoin, socketsLeave, disconnectSockets, fetchSockets, serverSideEmit.
import { describe, expect, it } from 'vitest';
import { RemoteSocket, type Socket } from '../src/index.js';
import { type ClientSocket, drained, mainAndX, once, record, type SioHarness, TRANSPORTS, until, useSio } from './sio-helpers.js';

const sio = useSio();

describe.each(TRANSPORTS)('broadcasts over $name', ({ options, final }) => {
  /** Three connected clients on `/` and their server sockets. */
  async function three(h: SioHarness): Promise<[[ClientSocket, Socket], [ClientSocket, Socket], [ClientSocket, Socket]]> {
    return [await h.pair('/', options, final), await h.pair('/', options, final), await h.pair('/', options, final)];
  }

  it('io.emit reaches every socket of the main namespace', async () => {
    const h = await sio.start();
    const clients = (await three(h)).map(([client]) => client);
    const all = Promise.all(clients.map((client) => once(client, 'news')));
    expect(h.io.emit('news', 'for everyone', { n: 1 })).toBe(true);
    expect(await all).toEqual([
      ['for everyone', { n: 1 }],
      ['for everyone', { n: 1 }],
      ['for everyone', { n: 1 }],
    ]);
  });

  it('io.to(room).except(room2) selects sockets in room but not in room2; to() adds rooms up', async () => {
    const h = await sio.start();
    const [[a, sa], [b, sb], [c, sc]] = await three(h);
    sa.join('r');
    sb.join(['r', 'vip']);
    sc.join('other');
    const heard = { a: record(a, 'm'), b: record(b, 'm'), c: record(c, 'm') };
    await drained([a, b, c], () => {
      h.io.to('r').except('vip').emit('m', 'r-but-not-vip');
      h.io.in('r').emit('m', 'in-r');
      h.io.to('r').to('other').emit('m', 'r-or-other');
      h.io.to(['vip', 'other']).emit('m', 'vip-or-other');
      h.io.except(sa.id).emit('m', 'not-a');
      h.io.to('nobody-here').emit('m', 'empty room');
      h.io.emit('end');
    });
    expect(heard.a).toEqual([['r-but-not-vip'], ['in-r'], ['r-or-other']]);
    expect(heard.b).toEqual([['in-r'], ['r-or-other'], ['vip-or-other'], ['not-a']]);
    expect(heard.c).toEqual([['r-or-other'], ['vip-or-other'], ['not-a']]);
  });

  it('namespace broadcasts stay in their namespace, rooms of the same name included', async () => {
    const h = await sio.start();
    const { main, x, sMain, sx } = await mainAndX(h, options);
    sMain.join('room');
    sx.join('room');
    const heard = { main: record(main, 'm'), x: record(x, 'm') };
    await drained([main, x], () => {
      h.io.of('/x').emit('m', 'x-all');
      h.io.emit('m', 'main-all');
      h.io.of('/x').to('room').emit('m', 'x-room');
      h.io.to('room').emit('m', 'main-room');
      h.io.emit('end');
      h.io.of('/x').emit('end');
    });
    expect(heard.main).toEqual([['main-all'], ['main-room']]);
    expect(heard.x).toEqual([['x-all'], ['x-room']]);
  });

  it('io.timeout(ms).emit with an ack collects one response per client', async () => {
    const h = await sio.start();
    const clients = (await three(h)).map(([client]) => client);
    clients.forEach((client, i) => client.on('q', (ack: (v: number) => void) => ack(i)));
    const [err, responses] = await new Promise<[Error | null, number[]]>((resolve) =>
      h.io.timeout(5000).emit('q', (e: Error | null, r: number[]) => resolve([e, r])),
    );
    expect(err).toBeNull();
    expect(responses).toHaveLength(3);
    expect([...responses].sort()).toEqual([0, 1, 2]);
  });

  it('io.timeout(ms).emit: a client that never answers gives an error and the others\' responses', async () => {
    const h = await sio.start();
    const clients = (await three(h)).map(([client]) => client);
    clients.forEach((client, i) => client.on('q', (ack: (v: number) => void) => (i === 1 ? undefined : ack(i))));
    const started = Date.now();
    const [err, responses] = await new Promise<[Error | null, number[]]>((resolve) =>
      h.io.timeout(500).emit('q', (e: Error | null, r: number[]) => resolve([e, r])),
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toBe('operation has timed out');
    expect([...responses].sort()).toEqual([0, 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('io.timeout(ms).emitWithAck resolves with every response, or rejects on timeout', async () => {
    const h = await sio.start();
    const pairs = await three(h);
    pairs.forEach(([client], i) => client.on('q', (x: number, ack: (v: number) => void) => ack(x * 10 + i)));
    expect([...(await h.io.timeout(5000).emitWithAck('q', 1))].sort()).toEqual([10, 11, 12]);
    const [[, s0]] = pairs;
    s0.join('solo');
    expect(await h.io.to('solo').timeout(5000).emitWithAck('q', 2)).toEqual([20]);
    expect(await h.io.to('nobody').timeout(5000).emitWithAck('q', 3)).toEqual([]);
    pairs[2]![0].off('q');
    await expect(h.io.timeout(300).emitWithAck('q', 4)).rejects.toThrow('operation has timed out');
  });

  it('socketsJoin and socketsLeave, for all sockets or a selection', async () => {
    const h = await sio.start();
    const [[, sa], [, sb], [, sc]] = await three(h);
    sa.join('a');
    h.io.socketsJoin('everyone');
    h.io.in('a').socketsJoin(['x', 'y']);
    expect(sa.rooms).toEqual(new Set([sa.id, 'a', 'everyone', 'x', 'y']));
    expect(sb.rooms).toEqual(new Set([sb.id, 'everyone']));
    h.io.except('a').socketsLeave('everyone');
    expect(sb.rooms).toEqual(new Set([sb.id]));
    expect(sc.rooms).toEqual(new Set([sc.id]));
    h.io.socketsLeave(['x', 'everyone']);
    expect(sa.rooms).toEqual(new Set([sa.id, 'a', 'y']));
    h.io.in(sb.id).socketsJoin('b-only');
    expect(sb.rooms).toEqual(new Set([sb.id, 'b-only']));
  });

  it('disconnectSockets() disconnects the selection; disconnectSockets(true) closes connections', async () => {
    const h = await sio.start();
    const [[a, sa], [b, sb], [c]] = await three(h);
    sa.join('kick');
    sb.join('close');
    const aGone = once<[string]>(a, 'disconnect');
    const saGone = once<[string]>(sa, 'disconnect');
    h.io.in('kick').disconnectSockets();
    expect((await aGone)[0]).toBe('io server disconnect');
    expect((await saGone)[0]).toBe('server namespace disconnect');
    const bGone = once<[string]>(b, 'disconnect');
    h.io.in('close').disconnectSockets(true);
    expect((await bGone)[0]).toBe('io server disconnect');
    await until(() => h.io.engine.sessionCount === 1, 'two connections closed');
    expect(c.connected).toBe(true);
    expect([...h.io.sockets.sockets.keys()]).toEqual([c.id]);
  });

  it('fetchSockets gives RemoteSockets (id, handshake, rooms, data) that can emit and join', async () => {
    const h = await sio.start();
    h.io.use((socket, next) => {
      socket.data = { name: socket.handshake.auth.name };
      next();
    });
    const pairs = await Promise.all(['ann', 'bob', 'cy'].map((name) => h.pair('/', { ...options, auth: { name } }, final)));
    pairs[0]![1].join('club');
    pairs[2]![1].join('club');

    const remotes = await h.io.fetchSockets();
    expect(remotes).toHaveLength(3);
    for (const remote of remotes) {
      const [client, socket] = pairs.find(([, s]) => s.id === remote.id)!;
      expect(remote).toBeInstanceOf(RemoteSocket);
      expect(remote.id).toBe(client.id);
      expect(remote.handshake.auth).toEqual({ name: socket.data.name });
      expect(remote.handshake.address).toBe('127.0.0.1');
      expect(remote.rooms).toEqual(socket.rooms);
      expect(remote.data).toEqual({ name: socket.data.name });
    }

    const club = await h.io.in('club').fetchSockets();
    expect(club.map((r) => r.data.name).sort()).toEqual(['ann', 'cy']);
    expect(await h.io.of('/elsewhere').fetchSockets()).toEqual([]);

    const [bobClient, bobSocket] = pairs[1]!;
    const remoteBob = remotes.find((r) => r.id === bobSocket.id)!;
    const hello = once(bobClient, 'hello');
    remoteBob.emit('hello', 'from afar');
    expect(await hello).toEqual(['from afar']);
    remoteBob.join('joined-remotely');
    expect(bobSocket.rooms.has('joined-remotely')).toBe(true);
    remoteBob.leave('joined-remotely');
    expect(bobSocket.rooms.has('joined-remotely')).toBe(false);
    const gone = once<[string]>(bobClient, 'disconnect');
    remoteBob.disconnect();
    expect((await gone)[0]).toBe('io server disconnect');
  });
});

describe('serverSideEmit on a single server', () => {
  it('reaches no local listener, raises no error, and serverSideEmitWithAck resolves []', async () => {
    const h = await sio.start();
    const local = record(h.io, 'sync');
    const inX = record(h.io.of('/x'), 'sync');
    expect(h.io.serverSideEmit('sync', 1)).toBe(true);
    expect(h.io.of('/x').serverSideEmit('sync', 2)).toBe(true);
    await expect(h.io.serverSideEmitWithAck('sync', 3)).resolves.toEqual([]);
    const viaCallback = await new Promise((resolve) =>
      h.io.serverSideEmit('sync', 4, (err: Error | null, responses: unknown[]) => resolve([err, responses])),
    );
    expect(viaCallback).toEqual([null, []]);
    expect(local).toEqual([]);
    expect(inX).toEqual([]);
  });
});
