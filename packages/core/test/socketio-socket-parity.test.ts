// What socket.io's own API offers on a socket and its client, as socket.io's test suite and add-ons
// read it: client.request/conn/server, disconnected, leaveAll, rooms left after a refusal or a
// disconnection, events dropped once the socket has left, a handshake without an HTTP request.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Socket } from '../src/index.js';
import { once, rawRequest, record, until, useSio } from './sio-helpers.js';

const sio = useSio();

describe('a socket and its client', () => {
  it('socket.client has request, conn and server; socket.disconnected mirrors connected', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/');
    expect(socket.client.request.headers).toBeTypeOf('object');
    expect(socket.client.request).toBe(socket.request);
    expect(socket.client.conn).toBe(socket.conn);
    expect(socket.client.server).toBe(h.io);
    expect(socket.disconnected).toBe(false);
    const gone = once(socket, 'disconnect');
    client.disconnect();
    await gone;
    expect(socket.disconnected).toBe(true);
  });

  it('without the Engine.IO request, the handshake is secure, with no headers and no query', async () => {
    const h = await sio.start();
    h.io.engine.on('connection', (session) => {
      delete (session as { request?: unknown }).request;
    });
    const [, socket] = await h.pair('/', { query: { a: '1' } });
    expect(socket.handshake.secure).toBe(true);
    expect(socket.handshake.headers).toEqual({});
    expect(socket.handshake.query).toEqual({});
  });

  it('leaveAll() leaves every room, its own included', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/');
    socket.join(['a', 'b']);
    expect(socket.rooms).toEqual(new Set([socket.id, 'a', 'b']));
    socket.leaveAll();
    expect(socket.rooms.size).toBe(0);
    expect(h.io.sockets.adapter.rooms.size).toBe(0);
  });
});

describe('rooms of a socket that is gone', () => {
  it('rooms joined in a middleware that then refuses are left', async () => {
    const h = await sio.start();
    h.io.use((socket, next) => {
      socket.join('room1');
      next(new Error('nope'));
    });
    await once(h.client('/', { transports: ['websocket'] }), 'connect_error');
    expect(h.io.sockets.adapter.rooms.size).toBe(0);
  });

  it('join() after disconnect() does nothing', async () => {
    const h = await sio.start();
    const [, socket] = await h.pair('/');
    socket.disconnect();
    socket.join('room1');
    expect(h.io.sockets.adapter.rooms.size).toBe(0);
    expect(socket.rooms.size).toBe(0);
  });

  it('during the middleware the socket is neither connected nor among nsp.sockets, only _preConnectSockets', async () => {
    const h = await sio.start();
    const during: unknown[] = [];
    h.io.use((socket, next) => {
      during.push(socket.connected, socket.disconnected, h.io.sockets.sockets.size, h.io.sockets._preConnectSockets.size);
      next();
    });
    const [, socket] = await h.pair('/');
    expect(during).toEqual([false, true, 0, 1]);
    expect([socket.connected, h.io.sockets.sockets.size, h.io.sockets._preConnectSockets.size]).toEqual([true, 1, 0]);
  });
});

describe('events after a disconnection', () => {
  it('an event that arrives together with the disconnection is dropped', async () => {
    const h = await sio.start();
    const connections = record(h.io, 'connection');
    const base = `${h.url}/socket.io/?EIO=4&transport=polling`;
    const open = await rawRequest(base);
    const { sid } = JSON.parse(open.body.toString().slice(1)) as { sid: string };
    const url = `${base}&sid=${sid}`;
    const post = (body: string) => rawRequest(url, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    await post('40');
    await until(() => connections.length === 1, 'server socket');
    const socket = connections[0]![0] as Socket;
    const events = record(socket, 'test');
    const gone = once<[string]>(socket, 'disconnect');
    // One polling body: the event and the namespace disconnection are decoded in the same turn.
    await post('42["test"]\x1e41');
    expect((await gone)[0]).toBe('client namespace disconnect');
    await nextTurn();
    expect(events).toEqual([]);
  });
});
