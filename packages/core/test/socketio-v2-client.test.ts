// socket.io-client@2.5.0 (Engine.IO v3, Socket.IO v4) against the same Server that serves 4.x clients:
// the implicit connection to `/`, namespace auth from the query, the v4 CONNECT_ERROR, v4 socket ids,
// events, acks and binary both ways, rooms shared with 4.x clients, disconnects, heartbeat, bad sids.
import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { once, rawRequest, record, until, useSio } from './sio-helpers.js';
import { emitWithAckV2, V2_TRANSPORTS, type V2Socket, useV2Clients } from './sio2-helpers.js';

const sio = useSio();
const v2 = useV2Clients();

/** The server-side socket of a connected 2.x client. */
function serverSocket(h: { io: { of(nsp: string): { sockets: Map<string, unknown> } } }, client: V2Socket): Socket {
  const socket = h.io.of(client.nsp).sockets.get(client.id);
  if (socket === undefined) throw new Error(`no server socket ${client.id}`);
  return socket as Socket;
}

describe.each(V2_TRANSPORTS)('socket.io-client 2.x over $name', ({ options, final }) => {
  it('connects to / without asking, with the Engine.IO id as socket id', async () => {
    const h = await sio.start();
    const connections = record(h.io, 'connection');
    const client = await v2.connect(h.url, options);
    expect(client.io.engine.transport.name).toBe(final);
    expect(client.id).toBe(client.io.engine.id);
    const socket = serverSocket(h, client);
    expect(connections).toEqual([[socket]]);
    expect(socket.conn.protocol).toBe(3);
    expect(socket.handshake.query.EIO).toBe('3');
  });

  it('exchanges events and acknowledgements both ways', async () => {
    const h = await sio.start();
    h.io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (...v: unknown[]) => void) => ack(value, 'second'));
      socket.on('shout', (text: string) => socket.emit('shouted', text.toUpperCase()));
    });
    const client = await v2.connect(h.url, options);
    expect(await emitWithAckV2(client, 'echo', { n: 1, s: 'é😀\u2028' })).toEqual([{ n: 1, s: 'é😀\u2028' }, 'second']);
    const shouted = once<[string]>(client, 'shouted');
    client.emit('shout', 'hi');
    expect(await shouted).toEqual(['HI']);

    client.on('ask', (a: unknown, b: unknown, ack: (...v: unknown[]) => void) => ack(`${String(a)}+${String(b)}`));
    const answer = await serverSocket(h, client).timeout(5000).emitWithAck('ask', 1, 2);
    expect(answer).toBe('1+2');
  });

  it('carries binary both ways, in events and acknowledgements', async () => {
    const h = await sio.start();
    h.io.on('connection', (socket) => {
      socket.on('bytes', (data: Buffer, ack: (v: unknown) => void) => {
        socket.emit('bytes back', { nested: Buffer.concat([data, Buffer.from([9])]) }, Buffer.from('two'));
        ack([data.length, data]);
      });
    });
    const client = await v2.connect(h.url, options);
    const back = once<[{ nested: Buffer }, Buffer]>(client, 'bytes back');
    const [ack] = await emitWithAckV2(client, 'bytes', Buffer.from([1, 2, 3, 0xff]));
    expect(ack).toEqual([4, Buffer.from([1, 2, 3, 0xff])]);
    const [first, second] = await back;
    expect(Buffer.from(first.nested)).toEqual(Buffer.from([1, 2, 3, 0xff, 9]));
    expect(Buffer.from(second).toString()).toBe('two');
  });

  it('joins a namespace with auth from its query, under the id /<nsp>#<engine id>', async () => {
    const h = await sio.start();
    const admin = h.io.of('/admin');
    admin.use((socket, next) => (socket.handshake.auth.token === 'secret' ? next() : next(new Error('unauthorized'))));
    admin.on('connection', (socket) => socket.on('whoami', (ack: (id: string) => void) => ack(socket.id)));
    const client = await v2.connect(`${h.url}/admin`, { ...options, query: { token: 'secret' } });
    expect(client.id).toBe(`/admin#${client.io.engine.id}`);
    const socket = serverSocket(h, client);
    expect(socket.handshake.auth).toEqual({ token: 'secret' });
    expect(socket.handshake.query.token).toBe('secret'); // 2.x puts its query on the Engine.IO URL too
    expect(await emitWithAckV2(client, 'whoami')).toEqual([client.id]);
    // The root namespace was joined implicitly on the same connection.
    expect(h.io.of('/').sockets.get(client.io.engine.id)).toBeDefined();
  });

  it('sees a middleware refusal as the error event with err.data, or the message without data', async () => {
    const h = await sio.start();
    h.io.of('/plain').use((_socket, next) => next(new Error('not allowed')));
    h.io.of('/data').use((_socket, next) => next(Object.assign(new Error('ignored'), { data: { reason: 'banned', code: 7 } })));
    const plain = v2.client(`${h.url}/plain`, options);
    expect(await once(plain, 'error')).toEqual(['not allowed']);
    const data = v2.client(`${h.url}/data`, options);
    expect(await once(data, 'error')).toEqual([{ reason: 'banned', code: 7 }]);
    expect(h.io.of('/plain').sockets.size).toBe(0);
  });

  it('sees an unknown namespace refused as socket.io 4 does (Invalid namespace)', async () => {
    const h = await sio.start();
    const client = v2.client(`${h.url}/nowhere`, options);
    expect(await once(client, 'error')).toEqual([{ message: 'Invalid namespace' }]);
  });

  it('shares rooms and broadcasts with 4.x clients, each in its own wire format', async () => {
    const h = await sio.start();
    h.io.on('connection', (socket) => {
      socket.on('join', (room: string, ack: () => void) => {
        socket.join(room);
        ack();
      });
      socket.on('say', (room: string, text: string) => socket.to(room).emit('said', text, Buffer.from([1])));
    });
    const old1 = await v2.connect(h.url, options);
    const old2 = await v2.connect(h.url, options);
    const modern = await h.connect('/');
    await emitWithAckV2(old1, 'join', 'r');
    await emitWithAckV2(old2, 'join', 'r');
    await modern.emitWithAck('join', 'r');
    const got = [once(old2, 'said'), once(modern, 'said')];
    old1.emit('say', 'r', 'hello');
    const [oldSaid, modernSaid] = await Promise.all(got);
    expect(oldSaid?.[0]).toBe('hello');
    expect(Buffer.from(oldSaid?.[1] as Buffer)).toEqual(Buffer.from([1]));
    expect(modernSaid?.[0]).toBe('hello');
    const everyone = [once(old1, 'all'), once(old2, 'all'), once(modern, 'all')];
    h.io.to('r').emit('all', 'x');
    expect(await Promise.all(everyone)).toEqual([['x'], ['x'], ['x']]);
  });

  it('disconnects from the server side and from the client side', async () => {
    const h = await sio.start();
    const a = await v2.connect(h.url, options);
    const reason = once<[string]>(a, 'disconnect');
    serverSocket(h, a).disconnect();
    expect((await reason)[0]).toBe('io server disconnect');

    const b = await v2.connect(h.url, options);
    const serverB = serverSocket(h, b);
    const serverReason = once<[string]>(serverB, 'disconnect');
    b.disconnect();
    expect((await serverReason)[0]).toBe('client namespace disconnect');
    await until(() => h.io.engine.sessionCount === 0, 'sessions closed');
  });
});

describe('socket.io-client 2.x heartbeat and sessions', () => {
  it.each(V2_TRANSPORTS)('keeps a pinging client over $name and closes one that falls silent', async ({ options }) => {
    const h = await sio.start({ pingInterval: 100, pingTimeout: 100 });
    const client = await v2.connect(h.url, options);
    const socket = serverSocket(h, client);
    const heartbeats = record(socket.conn, 'heartbeat');
    await until(() => heartbeats.length >= 3, 'three client pings');
    expect(socket.connected).toBe(true);
    // Silence the client: no more pings, and no timer of its own that would close first.
    const engine = client.io.engine;
    engine.ping = () => {};
    engine.off('heartbeat', engine.onHeartbeat); // it re-arms that timer on every packet received
    engine.onHeartbeat = () => {};
    clearTimeout(engine.pingTimeoutTimer);
    const [reason] = await once<[string]>(socket, 'disconnect');
    expect(reason).toBe('ping timeout');
    expect(await once(client, 'disconnect')).toEqual(['transport close']);
  });

  it('answers a request for an unknown sid with 400 code 1', async () => {
    const h = await sio.start();
    const res = await rawRequest(`${h.url}/socket.io/?EIO=3&transport=polling&sid=nope`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString())).toEqual({ code: 1, message: 'Session ID unknown' });
    const client = await v2.connect(h.url, { transports: ['polling'] });
    const sid = client.io.engine.id;
    const wrongVersion = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`);
    expect(wrongVersion.status).toBe(400);
  });

  it('keeps v4 socket ids when connection state recovery is on (2.x clients have none)', async () => {
    const h = await sio.start({ connectionStateRecovery: {} });
    h.io.of('/admin');
    const client = await v2.connect(`${h.url}/admin`, { transports: ['websocket'], query: { pid: 'x', offset: 'y' } });
    const socket = serverSocket(h, client);
    expect(socket.id).toBe(`/admin#${client.io.engine.id}`);
    expect(socket.recovered).toBe(false);
    expect(socket.pid).toBeUndefined();
  });
});
