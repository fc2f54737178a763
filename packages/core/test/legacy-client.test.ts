// socket.io-client 0.9.16 (its Node build) against the same namespaces every generation uses, over
// websocket and xhr-polling.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BaseNamespace, Server, type Socket } from '../src/index.js';
import { eventOf, io09, useLegacy, V09_NODE_TRANSPORTS } from './legacy-helpers.js';
import { until } from './sio-helpers.js';

const { start } = useLegacy();

describe.each(V09_NODE_TRANSPORTS)('socket.io-client %s over 0.9', (transport) => {
  it('connects to / and exchanges events both ways', async () => {
    expect(io09.version).toBe('0.9.16');
    const h = await start();
    h.io.on('connection', (socket: Socket) => {
      socket.emit('welcome', { n: 1 }, 'two');
      socket.on('shout', (text: string) => socket.emit('shouted', text.toUpperCase()));
    });
    const client = h.client('/', transport);
    const [payload, second] = await eventOf(client, 'welcome');
    expect([payload, second]).toEqual([{ n: 1 }, 'two']);
    expect(client.socket.transport?.name).toBe(transport);
    client.emit('shout', 'a+b:c\nd');
    expect(await eventOf(client, 'shouted')).toEqual(['A+B:C\nD']);
    const [serverSocket] = [...h.io.sockets.sockets.values()];
    expect(serverSocket!.conn.protocol).toBe(1);
    expect(serverSocket!.conn.transport.name).toBe(transport);
  });

  it('acks with data (id+) and acks bare ids at once', async () => {
    const h = await start();
    const got: unknown[] = [];
    h.io.on('connection', (socket: Socket) => {
      socket.on('sum', (a: number, b: number, ack: (n: number, s: string) => void) => ack(a + b, 'x+y'));
      socket.on('message', (data: unknown) => got.push(data));
    });
    const client = await h.connect('/', transport);
    const answer = await new Promise<unknown[]>((resolve) => client.emit('sum', 2, 3, (...args: unknown[]) => resolve(args)));
    expect(answer).toEqual([5, 'x+y']);
    // send() with a callback asks for an automatic ack (a bare id): the server answers it itself.
    await new Promise<void>((resolve) => client.send('plain text', () => resolve()));
    await new Promise<void>((resolve) => client.json.send({ as: 'json' }, () => resolve()));
    expect(got).toEqual(['plain text', { as: 'json' }]);
  });

  it('gets server acks back from the client', async () => {
    const h = await start();
    const client = await h.connect('/', transport);
    client.on('ask', (question: string, ack: (answer: string) => void) => ack(`re: ${question}`));
    await until(() => h.io.sockets.sockets.size === 1);
    const [socket] = [...h.io.sockets.sockets.values()];
    await expect(socket!.timeout(3000).emitWithAck('ask', 'why')).resolves.toBe('re: why');
  });

  it('sends message and json packets for send()', async () => {
    const h = await start();
    h.io.on('connection', (socket: Socket) => {
      socket.send('hello');
      socket.send({ structured: true });
    });
    const client = h.client('/', transport);
    const seen: unknown[] = [];
    client.on('message', (data: unknown) => seen.push(data));
    await until(() => seen.length === 2);
    expect(seen).toEqual(['hello', { structured: true }]);
  });

  it('has no connection state recovery, even when it is on and the query names a pid', async () => {
    const h = await start({ connectionStateRecovery: {} });
    const client = await h.connect('/', transport, { query: 'pid=x&offset=y' });
    const [socket] = [...h.io.sockets.sockets.values()];
    expect(socket!.handshake.auth).toMatchObject({ pid: 'x', offset: 'y' });
    expect(socket!.recovered).toBe(false);
    expect(socket!.pid).toBeUndefined();
    client.disconnect();
  });

  it('joins /chat, which is echoed, and keeps namespaces apart', async () => {
    const h = await start();
    h.io.of('/chat').on('connection', (socket: Socket) => {
      socket.on('say', (text: string, ack: (echo: string) => void) => ack(`chat:${text}`));
      socket.emit('hello', socket.nsp.name);
    });
    const main = await h.connect('/', transport);
    const chat = main.socket.of('/chat');
    const hello = eventOf(chat, 'hello');
    await eventOf(chat, 'connect');
    expect(await hello).toEqual(['/chat']);
    const echo = await new Promise((resolve) => chat.emit('say', 'hi', resolve));
    expect(echo).toBe('chat:hi');
    expect(h.io.of('/chat').sockets.size).toBe(1);
  });

  it('refuses a namespace its middleware refuses (connect_failed)', async () => {
    const h = await start();
    h.io.of('/admin').use((_socket, next) => next(new Error('nope')));
    const main = await h.connect('/', transport);
    const admin = main.socket.of('/admin');
    expect(await eventOf(admin, 'connect_failed')).toEqual(['unauthorized']);
  });

  it('leaves one namespace with 0::/ep and everything with 0::', async () => {
    const h = await start();
    const reasons: string[] = [];
    for (const nsp of ['/', '/chat']) h.io.of(nsp).on('connection', (socket: Socket) => socket.on('disconnect', (r) => reasons.push(`${nsp} ${r}`)));
    const main = await h.connect('/', transport);
    const chat = main.socket.of('/chat');
    await eventOf(chat, 'connect');
    chat.disconnect();
    await until(() => reasons.length === 1);
    expect(reasons).toEqual(['/chat client namespace disconnect']);
    main.disconnect();
    await until(() => reasons.length === 2);
    expect(reasons[1]).toBe('/ client namespace disconnect');
    await until(() => h.io.legacyEngine!.sessions.size === 0);
  });

  it('is told when the server disconnects a socket or the whole connection', async () => {
    const h = await start();
    h.io.of('/chat').on('connection', (socket: Socket) => socket.on('bye', () => socket.disconnect()));
    h.io.on('connection', (socket: Socket) => socket.on('end', () => socket.disconnect(true)));
    const main = await h.connect('/', transport);
    const chat = main.socket.of('/chat');
    await eventOf(chat, 'connect');
    const chatGone = eventOf(chat, 'disconnect');
    chat.emit('bye');
    await chatGone;
    const gone = eventOf(main, 'disconnect');
    main.emit('end');
    expect(await gone).toEqual(['booted']);
    await until(() => h.io.legacyEngine!.sessions.size === 0);
  });

  it('answers heartbeats and keeps the session past the heartbeat timeout', async () => {
    const h = await start({ protocol09: { heartbeatInterval: 100, heartbeatTimeout: 400, closeTimeout: 400, pollingDuration: 100 } });
    const client = await h.connect('/', transport);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(client.socket.connected).toBe(true);
    expect(h.io.legacyEngine!.sessions.size).toBe(1);
    client.emit('still');
    const [socket] = [...h.io.sockets.sockets.values()];
    await eventOf(socket as never, 'still');
  });

  it('is cut off by a forced disconnect URL', async () => {
    const h = await start();
    const client = await h.connect('/', transport);
    const gone = eventOf(client, 'disconnect');
    const res = await fetch(`${h.url}/socket.io/1/${transport}/${client.socket.sessionid}?disconnect=1`);
    expect(res.status).toBe(200);
    await gone;
    expect(h.io.legacyEngine!.sessions.size).toBe(0);
  });

  it("serves manage()'s classes and request object to a 0.9 client (gevent-socketio's socketio_manage)", async () => {
    class Whoami extends BaseNamespace {
      onWho() {
        return (this.request as { user: string }).user;
      }
    }
    const io = new Server({ serveClient: false });
    const http = createServer((req, res) => {
      if (!io.manage(req, res, { '/who': Whoami }, { user: 'ada' })) res.writeHead(404).end();
    });
    http.on('upgrade', (req, socket, head) => {
      if (!io.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    io09.transports = [transport];
    const main = io09.connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { 'force new connection': true, reconnect: false });
    try {
      await eventOf(main, 'connect');
      const who = main.socket.of('/who');
      await eventOf(who, 'connect');
      expect(await new Promise((resolve) => who.emit('who', resolve))).toBe('ada');
      expect(await eventOf(main.socket.of('/other'), 'connect_failed')).toEqual(['unauthorized']);
    } finally {
      main.socket.options.reconnect = false;
      main.socket.disconnect();
      await io.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
