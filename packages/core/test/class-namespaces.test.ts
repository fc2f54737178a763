// Class-based namespaces beyond the testapp: the session shared by a connection's namespaces, the
// framework request handed in, per-connection classes with manage(), explicit event maps, jobs.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseNamespace, methodNameForEvent, Server } from '../src/index.js';
import { once, until, useSio } from './sio-helpers.js';

const sio = useSio();

describe('event names', () => {
  it('map to methods by one rule', () => {
    expect(methodNameForEvent('chat')).toBe('onChat');
    expect(methodNameForEvent('send_private_message')).toBe('onSendPrivateMessage');
    expect(methodNameForEvent('user joined')).toBe('onUserJoined');
    expect(methodNameForEvent('a-b')).toBe('onAB');
    expect(methodNameForEvent('odd:name')).toBeUndefined();
    expect(methodNameForEvent('__proto__')).toBeUndefined();
    expect(methodNameForEvent('')).toBeUndefined();
  });
});

describe('class-based namespaces', () => {
  it('share one session object across a connection’s namespaces, and map odd names explicitly', async () => {
    const h = await sio.start();
    class First extends BaseNamespace {
      onRemember(value: string) {
        this.session.value = value;
        return true;
      }
    }
    class Second extends BaseNamespace {
      static override events = { 'odd:name': 'onOdd' };
      onRecall() {
        return this.session.value;
      }
      onOdd(x: number) {
        return x * 2;
      }
    }
    h.io.register('/first', First);
    h.io.register('/second', Second);
    const { manager, socket } = h.manager({ transports: ['websocket'] });
    const first = socket('/first');
    const second = socket('/second');
    await Promise.all([once(first, 'connect'), once(second, 'connect')]);
    expect(await first.emitWithAck('remember', 'shared')).toBe(true);
    expect(await second.emitWithAck('recall')).toBe('shared');
    expect(await second.emitWithAck('odd:name', 21)).toBe(42);
    void manager;
  });

  it('reports missing arguments and thrown errors, and acks with resolved promises', async () => {
    const h = await sio.start();
    class Calc extends BaseNamespace {
      onAdd(a: number, b: number) {
        return a + b;
      }
      async onSlow(x: number) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return x + 1;
      }
      onBoom() {
        throw new Error('kaboom');
      }
    }
    h.io.register('/calc', Calc);
    const client = await h.connect('/calc', { transports: ['websocket'] });
    expect(await client.emitWithAck('add', 2, 3)).toBe(5);
    expect(await client.emitWithAck('slow', 1)).toBe(2);
    const missing = once<[string, string]>(client, 'error');
    client.emit('add', 1);
    expect((await missing)[0]).toBe('invalid_method_args');
    const thrown = once<[string, string]>(client, 'error');
    client.emit('boom');
    expect(await thrown).toEqual(['method_error', 'kaboom']);
    expect(client.connected).toBe(true);
  });

  it('delAclMethod and addAclMethod change what a client may call', async () => {
    const h = await sio.start();
    class Toggle extends BaseNamespace {
      onLock() {
        this.delAclMethod('onPing');
        return true;
      }
      onUnlock() {
        this.addAclMethod('onPing');
        return true;
      }
      onPing() {
        return 'pong';
      }
    }
    h.io.register('/toggle', Toggle);
    const client = await h.connect('/toggle', { transports: ['websocket'] });
    expect(await client.emitWithAck('ping')).toBe('pong');
    await client.emitWithAck('lock');
    const denied = once<[string, string]>(client, 'error');
    client.emit('ping');
    expect(await denied).toEqual(['method_access_denied', 'You do not have access to method "onPing"']);
    await client.emitWithAck('unlock');
    expect(await client.emitWithAck('ping')).toBe('pong');
  });

  it('rooms and broadcasts: emitToRoom skips the sender, broadcastEvent stays in its namespace', async () => {
    const h = await sio.start();
    class Room extends BaseNamespace {
      onJoin(room: string) {
        this.join(room);
        return true;
      }
      onSay(room: string, text: string) {
        this.emitToRoom(room, 'said', text);
      }
      onAll(text: string) {
        this.broadcastEvent('all', text);
      }
      onOthers(text: string) {
        this.broadcastEventNotMe('others', text);
      }
    }
    h.io.register('/room', Room);
    const [a, b] = await Promise.all([h.connect('/room', { transports: ['websocket'] }), h.connect('/room', { transports: ['websocket'] })]);
    const outsider = await h.connect('/', { transports: ['websocket'] });
    const outsiderHeard: unknown[] = [];
    outsider.onAny((...args) => outsiderHeard.push(args));
    await a.emitWithAck('join', 'r');
    await b.emitWithAck('join', 'r');
    const aHeard: unknown[] = [];
    a.onAny((...args) => aHeard.push(args));
    const said = once(b, 'said');
    a.emit('say', 'r', 'hello');
    expect(await said).toEqual(['hello']);
    const all = Promise.all([once(a, 'all'), once(b, 'all')]);
    a.emit('all', 'everyone');
    await all;
    const others = once(b, 'others');
    a.emit('others', 'not me');
    expect(await others).toEqual(['not me']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(aHeard).toEqual([['all', 'everyone']]);
    expect(outsiderHeard).toEqual([]);
  });
});

describe('manage(): per-connection classes and the framework request', () => {
  let http: HttpServer | undefined;
  let io: Server | undefined;
  let client: ClientSocket | undefined;
  afterEach(async () => {
    client?.disconnect();
    await io?.close();
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http?.listening ? http.close(() => resolve()) : resolve()));
  });

  it('gives the connection the classes and request object of the request that opened it', async () => {
    class Whoami extends BaseNamespace {
      onWho() {
        return (this.request as { user: string }).user;
      }
    }
    io = new Server({ serveClient: false });
    const server = io;
    // A framework that routes requests itself hands each Socket.IO request over with its own request.
    http = createServer((req, res) => {
      if (!server.manage(req, res, { '/who': Whoami }, { user: 'ada' })) res.writeHead(404).end();
    });
    http.on('upgrade', (req, socket, head) => {
      if (!server.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    client = connect(`http://127.0.0.1:${port}/who`, { forceNew: true, reconnection: false });
    await once(client, 'connect');
    await until(() => client!.io.engine.transport.name === 'websocket');
    expect(await client.emitWithAck('who')).toBe('ada');
    const unknown = connect(`http://127.0.0.1:${port}/other`, { forceNew: true, reconnection: false });
    const [err] = await once<[Error]>(unknown, 'connect_error');
    expect(err.message).toBe('Invalid namespace');
    unknown.disconnect();
  });
});
