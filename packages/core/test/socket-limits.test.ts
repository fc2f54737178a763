// Per-socket bounds: rooms per socket, namespaces per connection, acknowledgements awaited per socket;
// each refused with a clear error while the connection carries on.
import { describe, expect, it } from 'vitest';
import { RealtimeError, type Socket } from '../src/index.js';
import { useLegacy } from './legacy-helpers.js';
import { once, until } from './sio-helpers.js';

const { start } = useLegacy();

function tooManyRooms(socket: Socket, rooms: string[]): unknown {
  try {
    socket.join(rooms);
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('maxRoomsPerSocket', () => {
  it('defaults to 1000 rooms (its own included): the next join throws ERR_REALTIME_TOO_MANY_ROOMS', async () => {
    const h = await start();
    const [, socket] = await h.sio.pair('/', { transports: ['websocket'] });
    socket.join(Array.from({ length: 999 }, (_, i) => `r${i}`));
    expect(socket.rooms.size).toBe(1000);
    const error = tooManyRooms(socket, ['one-more']);
    expect(error).toBeInstanceOf(RealtimeError);
    expect((error as RealtimeError).code).toBe('ERR_REALTIME_TOO_MANY_ROOMS');
    expect(socket.rooms.has('one-more')).toBe(false);
    socket.join('r5'); // already in it: no new room
    expect(socket.connected).toBe(true);
  });

  it('applies to a 0.9 socket the same way', async () => {
    const h = await start({ maxRoomsPerSocket: 3 });
    const sockets: Socket[] = [];
    h.io.on('connection', (socket: Socket) => sockets.push(socket));
    await h.connect('/', 'websocket');
    await until(() => sockets.length === 1);
    sockets[0]!.join(['a', 'b']);
    expect((tooManyRooms(sockets[0]!, ['c', 'a']) as RealtimeError).code).toBe('ERR_REALTIME_TOO_MANY_ROOMS');
    expect([...sockets[0]!.rooms].sort()).toEqual([sockets[0]!.id, 'a', 'b'].sort());
  });

  it('is refused unless a positive integer', async () => {
    await expect(start({ maxRoomsPerSocket: 0 })).rejects.toThrow(/maxRoomsPerSocket must be a positive integer/);
  });
});

describe('maxNamespacesPerClient', () => {
  it('answers the namespace past the bound with connect_error; the others keep working', async () => {
    const h = await start({ maxNamespacesPerClient: 3 });
    h.io.of(/^\/n\d+$/).on('connection', (socket: Socket) => socket.on('ping', (ack: (v: string) => void) => ack(socket.nsp.name)));
    const { socket } = h.sio.manager({ transports: ['websocket'] });
    const joined = ['/', '/n1', '/n2'].map((nsp) => socket(nsp));
    await Promise.all(joined.map((s) => (s.connected ? undefined : once(s, 'connect'))));
    const refused = socket('/n3');
    const [error] = await once<[Error]>(refused, 'connect_error');
    expect(error.message).toBe('too many namespaces (maxNamespacesPerClient 3)');
    expect(await joined[2]!.emitWithAck('ping')).toBe('/n2');
  });
});

describe('maxPendingAcks', () => {
  it('an emit past the bound throws ERR_REALTIME_TOO_MANY_PENDING_ACKS, before anything is sent', async () => {
    const h = await start({ maxPendingAcks: 3 });
    const [client, socket] = await h.sio.pair('/', { transports: ['websocket'] });
    const got: number[] = [];
    client.on('ask', (n: number) => got.push(n)); // never acknowledges
    for (let n = 0; n < 3; n++) socket.emit('ask', n, () => {});
    expect(() => socket.emit('ask', 3, () => {})).toThrow(expect.objectContaining({ code: 'ERR_REALTIME_TOO_MANY_PENDING_ACKS' }));
    socket.emit('ask', 4); // without an ack: not bounded
    await until(() => got.length === 4);
    expect(got).toEqual([0, 1, 2, 4]);
  });

  it('counts a broadcast\'s acknowledgements: a socket at the bound is left out of the next one, which does not wait for it', async () => {
    const h = await start({ maxPendingAcks: 3 });
    const [silent, silentSocket] = await h.sio.pair('/', { transports: ['websocket'] });
    const [answering] = await h.sio.pair('/', { transports: ['websocket'] });
    const got: number[] = [];
    silent.on('ask', (n: number) => got.push(n)); // never acknowledges
    answering.on('ask', (n: number, ack: (m: number) => void) => ack(n));
    silentSocket.join('slow');
    // Three broadcasts without a timeout: nothing but an answer would release the silent client's entries.
    let settled = 0;
    for (let n = 0; n < 3; n++) h.io.to('slow').emit('ask', n, () => settled++);
    expect(() => silentSocket.emit('ask', 9, () => {})).toThrow(expect.objectContaining({ code: 'ERR_REALTIME_TOO_MANY_PENDING_ACKS' }));
    expect(await h.io.timeout(5000).emitWithAck('ask', 3)).toEqual([3]);
    expect(await h.io.to('slow').timeout(5000).emitWithAck('ask', 4)).toEqual([]);
    await until(() => got.length === 3);
    expect(got).toEqual([0, 1, 2]);
    expect(settled).toBe(0);
    expect(silent.connected).toBe(true);
  });
});
