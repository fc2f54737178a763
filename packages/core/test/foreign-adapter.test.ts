// Adapters built on npm socket.io-adapter (its in-memory Adapter, SessionAwareAdapter) plugged in through
// the `adapter` option and `io.adapter(cls)`: they construct, keep the rooms, and their broadcasts reach
// clients of every generation (socket.io-client 4.x, 2.x and 0.9).
import { Adapter as SioAdapter, SessionAwareAdapter } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { Adapter } from '../src/index.js';
import { eventOf, useLegacy } from './legacy-helpers.js';
import { inProcessSioAdapter } from './sio-adapter-nodes.js';
import { connectedV2, useV2Clients } from './sio2-helpers.js';
import { once, record, serverSocketOf, TRANSPORTS, until } from './sio-helpers.js';

const { start } = useLegacy();
const v2 = useV2Clients();

describe.each(TRANSPORTS)('a socket.io-adapter Adapter over $name', ({ options: transport }) => {
  it('keeps the rooms, emits its room events and broadcasts to the rooms it keeps', async () => {
    const h = await start({ adapter: SioAdapter });
    const adapter = h.io.of('/').adapter as unknown as SioAdapter;
    expect(adapter).toBeInstanceOf(SioAdapter);
    const created = record(adapter, 'create-room');
    const left = record(adapter, 'leave-room');
    const [inRoom, server] = await h.sio.pair('/', transport);
    const [outside] = await h.sio.pair('/', transport);
    server.join('news');
    expect(created).toContainEqual(['news']);
    expect(server.rooms).toEqual(new Set([server.id, 'news']));
    expect(adapter.rooms.get('news')).toEqual(new Set([server.id]));
    const outgoing: unknown[][] = [];
    server.onAnyOutgoing((...args) => outgoing.push(args));

    const heardOutside = record(outside, 'headline');
    const heard = once<[string]>(inRoom, 'headline');
    const other = once(outside, 'other');
    h.io.to('news').emit('headline', 'hello');
    h.io.except('news').emit('other', 1);
    expect(await heard).toEqual(['hello']);
    await other;
    expect(heardOutside).toEqual([]);
    expect(outgoing).toContainEqual(['headline', 'hello']);

    inRoom.disconnect();
    await until(() => !h.io.of('/').sockets.has(server.id));
    expect(left).toContainEqual(['news', server.id]);
    expect(adapter.rooms.has('news')).toBe(false);
    outside.disconnect();
    await until(() => h.io.engine.sessionCount === 0);
  });

  it('gathers the acknowledgements of a broadcast', async () => {
    const h = await start({ adapter: SioAdapter });
    const clients = await Promise.all([h.sio.connect('/', transport), h.sio.connect('/', transport)]);
    clients.forEach((client, i) => client.on('question', (ack: (answer: number) => void) => ack(i)));
    const answers = await h.io.timeout(5000).emitWithAck('question');
    expect([...answers].sort()).toEqual([0, 1]);
  });
});

describe('io.adapter()', () => {
  it('returns the adapter class, and switches every namespace, existing and later, to another', async () => {
    class Pinned extends SioAdapter {
      override fetchSockets(): Promise<never[]> {
        return Promise.resolve([{ id: 'elsewhere', handshake: {}, rooms: ['elsewhere', 'lobby'], data: { who: 'pinned' } }] as never[]);
      }
    }
    const h = await start();
    expect(h.io.adapter()).toBe(Adapter);
    const chat = h.io.of('/chat');
    const [before, beforeServer] = await h.sio.pair('/chat');
    beforeServer.join('kept');
    expect(h.io.adapter(Pinned)).toBe(h.io);
    expect(h.io.adapter()).toBe(Pinned);
    expect(h.io.of('/').adapter).toBeInstanceOf(Pinned);
    expect(chat.adapter).toBeInstanceOf(Pinned);
    expect(h.io.of('/later').adapter).toBeInstanceOf(Pinned);

    const [found] = await h.io.fetchSockets();
    expect(found!.id).toBe('elsewhere');
    expect(found!.rooms).toEqual(new Set(['elsewhere', 'lobby']));
    expect(found!.data).toEqual({ who: 'pinned' });

    // A socket connected before the switch keeps its rooms; one connected after joins the new adapter's.
    expect(beforeServer.rooms).toEqual(new Set([beforeServer.id, 'kept']));
    const [client, server] = await h.sio.pair('/chat');
    server.join('kept');
    const heard = Promise.all([once<[number]>(client, 'ping'), once<[number]>(before, 'ping')]);
    chat.to('kept').emit('ping', 1);
    expect(await heard).toEqual([[1], [1]]);
  });
});

describe('a socket.io-adapter Adapter and the older generations', () => {
  it('reaches socket.io-client 2.x and 0.9 clients in its rooms, and gathers a 2.x acknowledgement', async () => {
    const h = await start({ adapter: SioAdapter });
    const modern = await h.sio.connect('/');
    const old = await connectedV2(v2.client(h.url));
    const legacy = await h.connect('/', 'websocket');
    await until(() => h.io.of('/').sockets.size === 3);
    h.io.socketsJoin('room');

    const heard = Promise.all([once(modern, 'news'), once(old as never, 'news'), eventOf(legacy, 'news')]);
    h.io.to('room').emit('news', { text: 'hi' }, 2);
    expect(await heard).toEqual([
      [{ text: 'hi' }, 2],
      [{ text: 'hi' }, 2],
      [{ text: 'hi' }, 2],
    ]);

    modern.on('question', (ack: (answer: string) => void) => ack('v5'));
    old.on('question', (ack: (answer: string) => void) => ack('v4'));
    legacy.on('question', (ack: (answer: string) => void) => ack('0.9'));
    const answers = await h.io.timeout(5000).emitWithAck('question');
    expect([...answers].sort()).toEqual(['0.9', 'v4', 'v5']);
  });
});

describe('connection state recovery with a socket.io-adapter adapter', () => {
  it('never calls persistSession or restoreSession when recovery is off', async () => {
    const calls: string[] = [];
    class Watched extends SioAdapter {
      override persistSession(): void {
        calls.push('persistSession');
      }

      override restoreSession(): Promise<never> {
        calls.push('restoreSession');
        return Promise.reject(new Error('recovery is off'));
      }
    }
    const h = await start({ adapter: Watched });
    const [client, server] = await h.sio.pair('/', { auth: { pid: 'foo', offset: 'bar' } });
    const gone = once(server, 'disconnect');
    client.io.engine.close();
    await gone;
    expect(calls).toEqual([]);
  });

  it('restores a session through SessionAwareAdapter, with what was emitted to the socket while away', async () => {
    const h = await start({ adapter: SessionAwareAdapter, connectionStateRecovery: {} });
    expect(h.io.of('/').adapter).toBeInstanceOf(SessionAwareAdapter);
    const client = h.sio.client('/', { transports: ['websocket'], reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 50 });
    await once(client, 'connect');
    const server = serverSocketOf(h.io, client);
    server.join('room');
    const received = record(client, 'news');
    h.io.emit('news', 'offset'); // the client learns an offset to come back with
    await until(() => received.length === 1);

    const gone = once(server, 'disconnect');
    client.io.engine.close();
    await gone;
    h.io.to('room').emit('news', 'room');
    server.emit('news', 'direct');
    h.io.to(server.id).emit('news', 'to its id');

    await once(client, 'connect');
    expect(client.recovered).toBe(true);
    await until(() => received.length === 4);
    expect(received.map(([text]) => text)).toEqual(['offset', 'room', 'direct', 'to its id']);
    expect(h.io.of('/').sockets.get(server.id)!.rooms.has('room')).toBe(true);
  });
});

describe('a socket.io-adapter ClusterAdapter', () => {
  it('carries broadcasts and serverSideEmit between two servers', async () => {
    // Two servers of one process, published to each other in memory.
    const InProcess = inProcessSioAdapter();
    const one = await start({ adapter: InProcess });
    const two = await start({ adapter: InProcess });
    const [client, server] = await two.sio.pair('/');
    server.join('far');

    const heard = once<[string]>(client, 'news');
    one.io.to('far').emit('news', 'from one');
    expect(await heard).toEqual(['from one']);

    const told = once<[string]>(two.io, 'hello');
    one.io.serverSideEmit('hello', 'node two');
    expect(await told).toEqual(['node two']);
  });
});
