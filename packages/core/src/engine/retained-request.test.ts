import { createServer, IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestInfoOf, RetainedRequest, retainRequest } from './retained-request.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real request as Node's http server parses it (a GET, kept open until `done` answers it). */
async function receive(path: string): Promise<{ req: IncomingMessage; done: () => void }> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const got = new Promise<{ req: IncomingMessage; done: () => void }>((resolve) => {
    server.once('request', (req, res) => resolve({ req, done: () => res.end() }));
  });
  const client = httpRequest({ port, host: '127.0.0.1', path, headers: { 'X-Custom': 'yes', Cookie: 'a=1' } });
  client.on('response', (res) => res.resume());
  client.end();
  return got;
}

const nextMicrotask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('RetainedRequest', () => {
  it('hands out the request itself until the handshake task ends', async () => {
    const { req, done } = await receive('/socket.io/?EIO=4&transport=polling');
    const retained = new RetainedRequest(req);
    expect(retained.get()).toBe(req);
    done();
  });

  it('rebuilds a request nothing else touched once, with what the original said', async () => {
    const { req, done } = await receive('/socket.io/?EIO=4&transport=polling&foo=bar');
    const { headers, rawHeaders, socket } = req;
    const retained = new RetainedRequest(req);
    await nextMicrotask();
    const rebuilt = retained.get();
    expect(rebuilt).not.toBe(req);
    expect(rebuilt).toBeInstanceOf(IncomingMessage);
    expect(retained.get()).toBe(rebuilt);
    expect(rebuilt.headers).toBe(headers);
    expect(rebuilt.headers['x-custom']).toBe('yes');
    expect(rebuilt.rawHeaders).toEqual(rawHeaders);
    expect(rebuilt.rawHeaders).toContain('X-Custom');
    expect(rebuilt.url).toBe('/socket.io/?EIO=4&transport=polling&foo=bar');
    expect(rebuilt.method).toBe('GET');
    expect(rebuilt.httpVersion).toBe('1.1');
    expect([rebuilt.httpVersionMajor, rebuilt.httpVersionMinor]).toEqual([1, 1]);
    expect(rebuilt.socket).toBe(socket);
    expect(rebuilt.connection).toBe(socket);
    expect(rebuilt.complete).toBe(true);
    expect((rebuilt as IncomingMessage & { _query?: unknown })._query).toEqual({ EIO: '4', transport: 'polling', foo: 'bar' });
    expect(retained.url).toBe(rebuilt.url);
    expect(retained.headers).toBe(headers);
    done();
  });

  // Each touches the request as middleware would, before the handshake ends (the url: after the holder read it).
  const touches: [string, (req: IncomingMessage) => void][] = [
    ['added something to it (req.session, req.user)', (req) => Object.assign(req, { user: 'ann' })],
    ['gave it another prototype (Express, for req.ip)', (req) => Object.setPrototypeOf(req, Object.create(IncomingMessage.prototype, { ip: { get: () => '127.0.0.1' } }))],
    ['replaced its url', (req) => queueMicrotask(() => (req.url = '/elsewhere'))],
  ];
  it.each(touches)('keeps the request itself when middleware %s', async (_, touch) => {
    const { req, done } = await receive('/socket.io/?EIO=4&transport=polling');
    touch(req);
    const retained = new RetainedRequest(req);
    await nextMicrotask();
    expect(retained.get()).toBe(req);
    done();
  });
});

describe('retainRequest', () => {
  it('gives the owner a request property that reads, deletes and assigns as a plain field', async () => {
    const { req, done } = await receive('/socket.io/?EIO=4&transport=websocket');
    const owner: { request?: unknown } = {};
    retainRequest(owner, req);
    expect(Object.keys(owner)).toEqual(['request']);
    expect(owner.request).toBe(req);
    expect(requestInfoOf(owner)?.url).toBe('/socket.io/?EIO=4&transport=websocket');
    await nextMicrotask();
    const rebuilt = owner.request as IncomingMessage;
    expect(rebuilt).toBeInstanceOf(IncomingMessage);
    expect(owner.request).toBe(rebuilt);

    const other = { url: '/other', headers: {}, socket: req.socket };
    owner.request = other;
    expect(owner.request).toBe(other);
    expect(requestInfoOf(owner)).toBe(other);

    delete owner.request;
    expect(owner.request).toBeUndefined();
    expect(requestInfoOf(owner)).toBeUndefined();
    done();
  });
});
