// The Server facade: the ways to create and attach it, its path, and the engine options socket.io users
// pass to it (transports, allowRequest, cors). The client bundles it serves: serve-client.test.ts.
import { once as onceEvent } from 'node:events';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { Server, type Socket } from '../src/index.js';
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
    expect(h.io.path).toBe('/realtime/');
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
