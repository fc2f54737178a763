// Connection middleware (`io.use`, `nsp.use`) and packet middleware (`socket.use`).
import { describe, expect, it } from 'vitest';
import type { ExtendedError, Socket } from '../src/index.js';
import { once, record, TRANSPORTS, useSio } from './sio-helpers.js';

const sio = useSio();

function echo(socket: Socket): void {
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
}

function refusal(message: string, data?: unknown): ExtendedError {
  return Object.assign(new Error(message), data === undefined ? {} : { data });
}

describe.each(TRANSPORTS)('connection middleware over $name', ({ options, final }) => {
  it('io.use refusing with next(err): connect_error with the message and err.data; no socket', async () => {
    const h = await sio.start();
    const connections = record(h.io, 'connection');
    h.io.use((socket, next) => {
      if (socket.handshake.auth.token === 'good') next();
      else next(refusal('not authorized', { reason: 'x', retry: false, nested: { n: 1 } }));
    });
    const [err] = await once<[Error & { data?: unknown }]>(h.client('/', { ...options, auth: { token: 'bad' } }), 'connect_error');
    expect(err.message).toBe('not authorized');
    expect(err.data).toEqual({ reason: 'x', retry: false, nested: { n: 1 } });
    expect(connections).toEqual([]);
    expect(h.io.sockets.sockets.size).toBe(0);

    await h.connect('/', { ...options, auth: { token: 'good' } }, final);
    expect(connections).toHaveLength(1);
  });

  it('a refusal without data gives connect_error without data', async () => {
    const h = await sio.start();
    h.io.use((_socket, next) => next(new Error('plain no')));
    const [err] = await once<[Error & { data?: unknown }]>(h.client('/', options), 'connect_error');
    expect(err.message).toBe('plain no');
    expect(err.data).toBeUndefined();
  });

  it('io.of("/x").use applies to /x only', async () => {
    const h = await sio.start();
    h.io.on('connection', echo);
    h.io.of('/x').use((_socket, next) => next(refusal('x is closed', { reason: 'x' })));
    const [err] = await once<[Error & { data?: unknown }]>(h.client('/x', options), 'connect_error');
    expect(err.message).toBe('x is closed');
    expect(err.data).toEqual({ reason: 'x' });
    const main = await h.connect('/', options, final);
    expect(await main.emitWithAck('echo', 'main is open')).toBe('main is open');
  });

  it('middlewares run in order, may be asynchronous, see the handshake, and set socket.data', async () => {
    const h = await sio.start();
    const order: string[] = [];
    h.io.use((socket, next) => {
      order.push(`first:${socket.connected}:${String(socket.handshake.auth.user)}`);
      next();
    });
    h.io.use((socket, next) => {
      order.push('second');
      setTimeout(() => {
        socket.data = { user: socket.handshake.auth.user, at: 'second' };
        next();
      }, 30);
    });
    h.io.use((_socket, next) => {
      order.push('third');
      next();
    });
    let dataAtConnection: unknown;
    h.io.on('connection', (socket) => {
      order.push('connection');
      dataAtConnection = socket.data;
    });
    const [, socket] = await h.pair('/', { ...options, auth: { user: 'ada' } }, final);
    expect(order).toEqual(['first:false:ada', 'second', 'third', 'connection']);
    expect(dataAtConnection).toEqual({ user: 'ada', at: 'second' });
    expect(socket.data).toEqual({ user: 'ada', at: 'second' });
  });

  it('a refusing middleware stops the chain', async () => {
    const h = await sio.start();
    const ran: string[] = [];
    h.io.use((_socket, next) => {
      ran.push('first');
      next(new Error('stop here'));
    });
    h.io.use((_socket, next) => {
      ran.push('second');
      next();
    });
    await once(h.client('/', options), 'connect_error');
    expect(ran).toEqual(['first']);
  });

  it('a middleware that throws refuses the socket with its message', async () => {
    const h = await sio.start();
    h.io.use(() => {
      throw new Error('middleware bug');
    });
    const [err] = await once<[Error]>(h.client('/', options), 'connect_error');
    expect(err.message).toBe('middleware bug');
    expect(h.io.sockets.sockets.size).toBe(0);
  });

  it('the middleware of a dynamic parent applies to its children', async () => {
    const h = await sio.start();
    const parent = h.io.of(/^\/guarded-\d+$/);
    parent.use((socket, next) => (socket.handshake.auth.key === 'k' ? next() : next(refusal('no key', { nsp: socket.nsp.name }))));
    const [err] = await once<[Error & { data?: unknown }]>(h.client('/guarded-1', options), 'connect_error');
    expect(err.message).toBe('no key');
    expect(err.data).toEqual({ nsp: '/guarded-1' });
    const [, socket] = await h.pair('/guarded-1', { ...options, auth: { key: 'k' } }, final);
    expect(socket.nsp.name).toBe('/guarded-1');
  });
});

describe.each(TRANSPORTS)('packet middleware (socket.use) over $name', ({ options, final }) => {
  it('sees every event first; next() lets it through, next(err) blocks it and emits "error"', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    echo(socket);
    const seenByMiddleware: unknown[][] = [];
    socket.use((event, next) => {
      seenByMiddleware.push(event.filter((arg) => typeof arg !== 'function'));
      if (event[0] === 'forbidden') next(new Error(`"${event[0]}" is not allowed`));
      else next();
    });
    const forbidden = record(socket, 'forbidden');
    const errors = record(socket, 'error');

    client.emit('forbidden', 1);
    expect(await client.emitWithAck('echo', 'allowed')).toBe('allowed');
    expect(forbidden).toEqual([]);
    expect(errors.map(([err]) => (err as Error).message)).toEqual(['"forbidden" is not allowed']);
    expect(seenByMiddleware).toEqual([['forbidden', 1], ['echo', 'allowed']]);
    expect(socket.connected).toBe(true);
  });

  it('runs in order, may be asynchronous, and may change the arguments', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const order: string[] = [];
    socket.use((event, next) => {
      order.push('first');
      setTimeout(next, 20);
      event[1] = String(event[1]).toUpperCase();
    });
    socket.use((_event, next) => {
      order.push('second');
      next();
    });
    socket.on('shout', (text: string, ack: (v: string) => void) => {
      order.push('listener');
      ack(text);
    });
    expect(await client.emitWithAck('shout', 'quiet')).toBe('QUIET');
    expect(order).toEqual(['first', 'second', 'listener']);
  });

  it('a packet middleware that throws is reported like next(err)', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    echo(socket);
    let calls = 0;
    socket.use((event, next) => {
      if (event[0] === 'bad' && calls++ === 0) throw new Error('middleware threw');
      next();
    });
    const errors = record(socket, 'error');
    client.emit('bad');
    expect(await client.emitWithAck('echo', 1)).toBe(1);
    expect(errors.map(([err]) => (err as Error).message)).toEqual(['middleware threw']);
  });
});
