// The Server facade: the ways to create and attach it, its path, and the engine options socket.io users
// pass to it (transports, allowRequest, cors). The client bundles it serves: serve-client.test.ts.
import { once as onceEvent } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Engine, Server, type ServerOptions, type Socket } from '../src/index.js';
import { connected, once, rawRequest, record, TRANSPORTS, useSio } from './sio-helpers.js';

const sio = useSio();

/** Acknowledges `echo` with its first argument. */
function echo(socket: Socket): void {
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
}

describe.each(TRANSPORTS)('creating the server, over $name', ({ options, final }) => {
  it('new Server(httpServer, opts) answers a socket.io-client', async () => {
    const h = await sio.start({}, { how: 'constructor' });
    h.io.on('connection', echo);
    const client = await h.connect('/', options, final);
    expect(client.io.engine.transport.name).toBe(final);
    expect(await client.emitWithAck('echo', 'hello')).toBe('hello');
    expect(h.io.engine.clientsCount).toBe(1);
    expect(h.io.engine.clientsCount).toBe(h.io.engine.sessionCount);
  });

  it('new Server(opts).attach(httpServer) answers a socket.io-client', async () => {
    const h = await sio.start({}, { how: 'attach' });
    expect(h.io.httpServer).toBe(h.http);
    h.io.on('connection', echo);
    const client = await h.connect('/', options, final);
    expect(await client.emitWithAck('echo', { n: 1 })).toEqual({ n: 1 });
  });

  it('a custom path is where clients connect; the default path is then not answered', async () => {
    const h = await sio.start({ path: '/realtime' });
    expect(h.io.path()).toBe('/realtime');
    h.io.on('connection', echo);
    const client = await h.connect('/', options, final); // the harness passes the same path to the client
    expect(await client.emitWithAck('echo', 1)).toBe(1);
    const wrongPath = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`);
    expect(wrongPath.status).toBe(404);
    const stray = h.client('/', { ...options, path: '/socket.io' });
    await once(stray, 'connect_error');
    expect(h.io.engine.sessionCount).toBe(1);
  });

  it('transports: ["websocket"] refuses polling clients and serves websocket ones', async () => {
    const h = await sio.start({ transports: ['websocket'] });
    const connections = record(h.io, 'connection');
    if (final === 'polling') {
      const [err] = await once<[Error]>(h.client('/', options), 'connect_error');
      expect(err.message).toBe('xhr poll error');
      const raw = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`);
      expect(raw.status).toBe(400);
      expect(JSON.parse(raw.body.toString())).toEqual({ code: 0, message: 'Transport unknown' });
      expect(connections).toHaveLength(0);
    } else {
      await h.connect('/', options, final);
      expect(connections).toHaveLength(1);
    }
  });

  it('allowRequest can refuse a handshake; the refused client gets connect_error and no socket', async () => {
    const h = await sio.start({
      allowRequest: (req, callback) => callback('not today', req.headers['x-pass'] === 'yes'),
    });
    const connections = record(h.io, 'connection');
    const [err] = await once<[Error]>(h.client('/', options), 'connect_error');
    expect(err.message).toBe(final === 'polling' ? 'xhr poll error' : 'websocket error');
    const raw = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`);
    expect(raw.status).toBe(403);
    expect(JSON.parse(raw.body.toString())).toEqual({ code: 4, message: 'not today' });
    expect(connections).toHaveLength(0);
    expect(h.io.engine.sessionCount).toBe(0);
    await h.connect('/', { ...options, extraHeaders: { 'x-pass': 'yes' } }, final);
    expect(connections).toHaveLength(1);
  });
});

describe('the server and its http server', () => {
  it('requests outside the path still reach the host listeners', async () => {
    const h = await sio.start({}, { setup: (http) => http.on('request', (_req, res) => res.end('host')) });
    const res = await rawRequest(`${h.url}/elsewhere`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('host');
  });

  it('listen(port) creates and listens on its own http server, and close() closes it', async () => {
    const io = new Server().listen(0);
    try {
      const http = io.httpServer!;
      expect(http).toBeDefined();
      if (!http.listening) await onceEvent(http, 'listening');
      const { port } = http.address() as AddressInfo;
      io.on('connection', echo);
      const client = await connected(connect(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false }));
      expect(await client.emitWithAck('echo', 'via listen')).toBe('via listen');
      const gone = once<[string]>(client, 'disconnect');
      await io.close();
      expect(http.listening).toBe(false);
      const [reason] = await gone;
      expect(reason).toBe('transport close');
      client.disconnect();
    } finally {
      await io.close();
    }
  });

  it('close(cb) also closes an http server handed in, calls cb with its error, and the Server can listen again', async () => {
    const notRunning = new Server(createServer());
    const err = await new Promise<Error | undefined>((resolve) => void notRunning.close(resolve));
    expect((err as NodeJS.ErrnoException | undefined)?.code).toBe('ERR_SERVER_NOT_RUNNING');

    const http = createServer().listen(0, '127.0.0.1');
    await onceEvent(http, 'listening');
    const io = new Server(http);
    try {
      io.on('connection', echo);
      const { port } = http.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}`;
      const client = await connected(connect(url, { forceNew: true, reconnection: false }));
      const gone = once<[string]>(client, 'disconnect');
      const closedWith = await new Promise<Error | undefined>((resolve) => void io.close(resolve));
      expect(closedWith).toBeUndefined();
      expect(http.listening).toBe(false);
      expect((await gone)[0]).toBe('transport close');

      // the same Server, on the same port: its namespaces and listeners still work
      io.listen(port);
      await onceEvent(io.httpServer!, 'listening');
      const again = await connected(connect(url, { forceNew: true, reconnection: false }));
      expect(await again.emitWithAck('echo', 'back')).toBe('back');
      again.disconnect();
    } finally {
      await io.close();
    }
  });

  it('socket.io\'s accessors: path(v), serveClient(v), connectTimeout(v), attach(srv, opts) and listen(port, opts) merge options', async () => {
    const io = new Server({ pingTimeout: 6000 });
    try {
      expect(io.path()).toBe('/socket.io');
      expect(io.path('/live/')).toBe(io);
      expect(io.path()).toBe('/live');
      expect(io.serveClient()).toBe(true);
      expect(io.serveClient(false).serveClient()).toBe(false);
      expect(io.connectTimeout()).toBe(45_000);
      expect(io.connectTimeout(500).connectTimeout()).toBe(500);
      expect(() => io.connectTimeout(-1)).toThrow(TypeError);
      expect(io.eio).toBe(io.engine);

      io.listen(0, { pingInterval: 24_000 });
      const http = io.httpServer!;
      if (!http.listening) await onceEvent(http, 'listening');
      expect(io.eio.opts.pingTimeout).toBe(6000);
      expect(io.eio.opts.pingInterval).toBe(24_000);
      expect(() => io.path('/elsewhere')).toThrow(/before the server is attached/);
      const { port } = http.address() as AddressInfo;
      // the path set before attaching is where clients connect, and the client bundle is no longer served
      const open = await rawRequest(`http://127.0.0.1:${port}/live/?EIO=4&transport=polling`);
      expect(JSON.parse(open.body.toString().slice(1))).toMatchObject({ pingInterval: 24_000, pingTimeout: 6000 });
      expect((await rawRequest(`http://127.0.0.1:${port}/live/socket.io.js`)).status).not.toBe(200);
      // a connection that joins no namespace is closed after connectTimeout
      const client = connect(`http://127.0.0.1:${port}`, { path: '/live', forceNew: true, reconnection: false, autoConnect: false });
      const manager = client.io;
      const gone = new Promise<string>((resolve) => manager.once('close', resolve));
      manager.open();
      expect(await gone).toBe('transport close');
      client.close();
    } finally {
      await io.close();
    }
  });

  it('has the EventEmitter API: new_namespace on the server itself, every other event on the main namespace', () => {
    const io = new Server({ protocol09: false });
    const onConnection = (): void => {};
    const onNamespace = (): void => {};
    io.addListener('connection', onConnection).prependListener('new_namespace', onNamespace);
    expect(io.listeners('connection')).toEqual([onConnection]);
    expect(io.sockets.listenerCount('connection')).toBe(1);
    expect(io.listenerCount('new_namespace')).toBe(1);
    expect(io.eventNames()).toEqual(expect.arrayContaining(['connection', 'new_namespace']));
    const seen: string[] = [];
    io.prependOnceListener('new_namespace', (nsp: { name: string }) => seen.push(nsp.name));
    io.of('/a');
    io.of('/b');
    expect(seen).toEqual(['/a']);
    io.removeListener('connection', onConnection);
    expect(io.listenerCount('connection')).toBe(0);
    io.setMaxListeners(42);
    expect(io.getMaxListeners()).toBe(42);
    io.removeAllListeners();
    expect(io.listenerCount('new_namespace')).toBe(0);
    expect(io.rawListeners('connection')).toEqual([]);
  });

  it('bind(engine) serves the clients through an Engine made outside', async () => {
    const engine = new Engine({ path: '/bound' });
    const io = new Server().bind(engine);
    try {
      expect(io.engine).toBe(engine);
      io.on('connection', echo);
      io.listen(0);
      const http = io.httpServer!;
      if (!http.listening) await onceEvent(http, 'listening');
      const { port } = http.address() as AddressInfo;
      const client = await connected(connect(`http://127.0.0.1:${port}`, { path: '/bound', forceNew: true, reconnection: false }));
      expect(await client.emitWithAck('echo', 'bound')).toBe('bound');
      expect(engine.clientsCount).toBe(1);
      client.disconnect();
    } finally {
      await io.close();
    }
  });

  it('attach() twice is refused', async () => {
    const h = await sio.start();
    expect(() => h.io.attach(h.http)).toThrow(/already attached/);
  });
});

describe('cors', () => {
  const handshake = '/socket.io/?EIO=4&transport=polling';

  it('answers polling requests with the configured CORS headers, preflight included', async () => {
    const h = await sio.start({ cors: { origin: 'https://app.example', credentials: true } });
    const res = await rawRequest(h.url + handshake, { headers: { origin: 'https://app.example' } });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toMatch(/^0\{"sid":/);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const preflight = await rawRequest(h.url + handshake, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it('sends no CORS headers unless configured', async () => {
    const h = await sio.start();
    const res = await rawRequest(h.url + handshake, { headers: { origin: 'https://app.example' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('options socket.io has and Switchyard does not', () => {
  it.each([
    [{ wsEngine: class {} }, /unsupported option "wsEngine"/],
    [{ initialPacket: 'x' }, /unsupported option "initialPacket"/],
    [{ pingTimout: 1000 }, /unknown option "pingTimout"/],
    [{ transports: ['polling', 'webtransport'] }, /unsupported transport "webtransport"/],
  ])('%o is refused at construction, naming the option', (options, message) => {
    expect(() => new Server(options as ServerOptions)).toThrow(message);
    expect(() => new Server().attach(createServer(), options as ServerOptions)).toThrow(message);
  });

  it('accepts wsEngine: ws.Server (what it runs on anyway) and engine.io options it needs no work for', async () => {
    const io = new Server({ wsEngine: WebSocketServer, addTrailingSlash: false, destroyUpgrade: false } as ServerOptions);
    expect(io.path()).toBe('/socket.io');
    await io.close();
  });
});
