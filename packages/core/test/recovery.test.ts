import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server, type Socket } from '../src/index.js';

function next<T extends unknown[]>(emitter: { once(ev: string, fn: (...args: never[]) => void): unknown }, ev: string, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${ev}" within ${ms} ms`)), ms);
    emitter.once(ev, (...args: never[]) => {
      clearTimeout(timer);
      resolve(args as unknown as T);
    });
  });
}

describe.each([['websocket'], ['polling']])('connection state recovery over %s', (transport) => {
  let http: HttpServer;
  let io: Server;
  let client: ClientSocket | undefined;
  let middlewareRuns = 0;
  const serverSockets: Socket[] = [];

  beforeEach(async () => {
    http = createServer();
    io = new Server(http, { connectionStateRecovery: { maxDisconnectionDuration: 5000 } });
    middlewareRuns = 0;
    serverSockets.length = 0;
    io.use((_socket, next) => {
      middlewareRuns++;
      next();
    });
    io.on('connection', (socket) => {
      serverSockets.push(socket);
      if (!socket.recovered) {
        socket.data = { name: 'ada' };
        socket.join('room-1');
      }
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    client?.disconnect();
    await io.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('gives a dropped socket back its id, rooms and data, and replays what it missed', async () => {
    const { port } = http.address() as AddressInfo;
    client = connect(`http://127.0.0.1:${port}`, { forceNew: true, transports: [transport], reconnectionDelay: 50, reconnectionDelayMax: 50 });
    await next(client, 'connect');
    expect(client.recovered).toBe(false);
    const firstId = client.id;
    const received: unknown[] = [];
    client.on('news', (text: unknown) => received.push(text));

    io.to('room-1').emit('news', 'before');
    await expect.poll(() => received.length).toBe(1);

    const serverGone = next<[string]>(serverSockets[0]!, 'disconnect');
    client.io.engine.close(); // the network drops: the client will reconnect by itself
    expect((await serverGone)[0]).toBe('transport close');

    io.to('room-1').emit('news', 'while away');
    io.to('elsewhere').emit('news', 'not for you');
    io.except('room-1').emit('news', 'excluded');

    await next(client, 'connect');
    expect(client.recovered).toBe(true);
    expect(client.id).toBe(firstId);
    await expect.poll(() => received.length).toBe(2);
    expect(received).toEqual(['before', 'while away']);

    const restored = serverSockets[1]!;
    expect(restored.recovered).toBe(true);
    expect(restored.id).toBe(firstId);
    expect(restored.rooms.has('room-1')).toBe(true);
    expect(restored.data).toEqual({ name: 'ada' });
    expect(middlewareRuns).toBe(1); // skipMiddlewares by default
  });

  it('replays what was emitted to the socket itself while away, before the CONNECT, as socket.io does', async () => {
    const { port } = http.address() as AddressInfo;
    client = connect(`http://127.0.0.1:${port}`, { forceNew: true, transports: [transport], reconnectionDelay: 50, reconnectionDelayMax: 50 });
    await next(client, 'connect');
    const received: unknown[] = [];
    client.on('news', (text: unknown) => received.push(text));
    io.emit('news', 'offset');
    await expect.poll(() => received.length).toBe(1);

    const server = serverSockets[0]!;
    const serverGone = next(server, 'disconnect');
    client.io.engine.close();
    await serverGone;
    server.emit('news', 'direct');
    io.to(server.id).emit('news', 'to its id');

    // What the new connection brings, packet by packet: registered once it is open, before any answer.
    const wire: string[] = [];
    client.io.once('open', () => client!.io.engine.on('packet', (packet: { type: string; data?: unknown }) => {
      if (packet.type === 'message') wire.push(String(packet.data).charAt(0)); // the Socket.IO packet type
    }));
    await next(client, 'connect');
    expect(client.recovered).toBe(true);
    await expect.poll(() => received.length).toBe(3);
    expect(received).toEqual(['offset', 'direct', 'to its id']);
    expect(wire).toEqual(['2', '2', '0']); // EVENT, EVENT, then CONNECT
  });

  it('does not recover a socket the client closed on purpose', async () => {
    const { port } = http.address() as AddressInfo;
    client = connect(`http://127.0.0.1:${port}`, { forceNew: true, transports: [transport] });
    await next(client, 'connect');
    io.emit('news', 'offset');
    await next(client, 'news');
    const firstId = client.id;
    client.disconnect();
    client.connect();
    await next(client, 'connect');
    expect(client.recovered).toBe(false);
    expect(client.id).not.toBe(firstId);
  });
});
