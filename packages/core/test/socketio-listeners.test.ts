// Catch-all listeners (incoming and outgoing), reserved event names, and listeners that throw or reject:
// none of them may take the process down or stop the other sockets.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from '../src/index.js';
import { once, record, TRANSPORTS, until, useSio } from './sio-helpers.js';

const sio = useSio();

afterEach(() => {
  vi.restoreAllMocks();
});

function echo(socket: Socket): void {
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
}

/** Silences and records console.error (where unhandled listener errors are reported). */
function captureConsoleError() {
  return vi.spyOn(console, 'error').mockImplementation(() => {});
}

/** The messages of the errors console.error was given: the `err=<name>: <message>` field of each one-line report. */
function reportedErrors(spy: ReturnType<typeof captureConsoleError>): string[] {
  return spy.mock.calls.flatMap((args) => {
    const match = /\berr=[^:\s]*: (.*)$/.exec(String(args[0]));
    return match === null ? [] : [match[1]!];
  });
}

describe.each(TRANSPORTS)('catch-all listeners over $name', ({ options, final }) => {
  it('onAny, prependAny, offAny and listenersAny', async () => {
    const h = await sio.start();
    h.io.on('connection', echo);
    const [client, socket] = await h.pair('/', options, final);
    const calls: string[] = [];
    const first = (event: string, ...args: unknown[]) => calls.push(`first:${event}:${JSON.stringify(args)}`);
    const prepended = (event: string) => calls.push(`prepended:${event}`);
    socket.onAny(first);
    socket.prependAny(prepended);
    expect(socket.listenersAny()).toEqual([prepended, first]);

    client.emit('hello', 1, 'two');
    expect(await client.emitWithAck('echo', 'x')).toBe('x');
    expect(calls[0]).toBe('prepended:hello');
    expect(calls[1]).toBe('first:hello:[1,"two"]');
    expect(calls[2]).toBe('prepended:echo');
    expect(calls[3]).toMatch(/^first:echo:\["x"/);

    socket.offAny(first);
    expect(socket.listenersAny()).toEqual([prepended]);
    calls.length = 0;
    await client.emitWithAck('echo', 'y');
    expect(calls).toEqual(['prepended:echo']);

    socket.offAny();
    expect(socket.listenersAny()).toEqual([]);
    calls.length = 0;
    await client.emitWithAck('echo', 'z');
    expect(calls).toEqual([]);
  });

  it('onAnyOutgoing, prependAnyOutgoing, offAnyOutgoing and listenersAnyOutgoing', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    client.on('q', (ack: (v: string) => void) => ack('a'));
    const seen: unknown[][] = [];
    const order: string[] = [];
    const last = (...args: unknown[]) => {
      seen.push(args);
      order.push('last');
    };
    const prepended = () => order.push('prepended');
    socket.onAnyOutgoing(last);
    socket.prependAnyOutgoing(prepended);
    expect(socket.listenersAnyOutgoing()).toEqual([prepended, last]);

    const arrived = once(client, 'direct');
    socket.emit('direct', 1, { two: 2 });
    await arrived;
    expect(await socket.emitWithAck('q')).toBe('a');
    const broadcastArrived = once(client, 'to-all');
    h.io.emit('to-all', 3);
    await broadcastArrived;
    expect(await h.io.timeout(5000).emitWithAck('q')).toEqual(['a']);
    expect(seen).toEqual([['direct', 1, { two: 2 }], ['q'], ['to-all', 3], ['q']]);
    expect(order.slice(0, 2)).toEqual(['prepended', 'last']);

    socket.offAnyOutgoing(prepended);
    expect(socket.listenersAnyOutgoing()).toEqual([last]);
    socket.offAnyOutgoing();
    expect(socket.listenersAnyOutgoing()).toEqual([]);
    seen.length = 0;
    const again = once(client, 'direct');
    socket.emit('direct', 4);
    await again;
    expect(seen).toEqual([]);
  });
});

describe('reserved event names', () => {
  const reserved = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

  it.each(reserved)('emitting "%s" to a client throws, from a socket and from a broadcast', async (name) => {
    const h = await sio.start();
    h.io.on('connection', echo);
    const [client, socket] = await h.pair();
    const received = record(client, name);
    expect(() => socket.emit(name)).toThrow(`"${name}" is a reserved event name`);
    expect(() => h.io.emit(name)).toThrow(/reserved event name/);
    expect(() => h.io.to('room').emit(name)).toThrow(/reserved event name/);
    expect(() => socket.broadcast.emit(name)).toThrow(/reserved event name/);
    expect(() => h.io.serverSideEmit(name)).toThrow(/reserved event name/);
    expect(await client.emitWithAck('echo', 'fine')).toBe('fine');
    expect(received).toEqual([]);
  });
});

describe.each(TRANSPORTS)('listeners that fail over $name', ({ options, final }) => {
  it('a listener that throws is reported; its socket and the others keep working', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    h.io.on('connection', (socket) => {
      echo(socket);
      socket.on('boom', () => {
        throw new Error('listener boom');
      });
    });
    const a = await h.connect('/', options, final);
    const b = await h.connect('/', options, final);
    a.emit('boom');
    expect(await a.emitWithAck('echo', 'a after boom')).toBe('a after boom');
    expect(await b.emitWithAck('echo', 'b after boom')).toBe('b after boom');
    expect(a.connected).toBe(true);
    expect(reportedErrors(errors)).toEqual(['listener boom']);
  });

  it('a listener error goes to the socket "error" listener when there is one', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    echo(socket);
    const caught = record(socket, 'error');
    socket.on('boom', () => {
      throw new Error('to the error listener');
    });
    client.emit('boom');
    expect(await client.emitWithAck('echo', 1)).toBe(1);
    expect(caught.map(([err]) => (err as Error).message)).toEqual(['to the error listener']);
    expect(errors).not.toHaveBeenCalled();
  });

  it('an async listener that rejects is reported; the server carries on', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    h.io.on('connection', (socket) => {
      echo(socket);
      socket.on('later', async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('async boom');
      });
    });
    const a = await h.connect('/', options, final);
    const b = await h.connect('/', options, final);
    a.emit('later');
    await until(() => errors.mock.calls.length > 0, 'rejection reported');
    expect(reportedErrors(errors)).toEqual(['async boom']);
    expect(await a.emitWithAck('echo', 'a')).toBe('a');
    expect(await b.emitWithAck('echo', 'b')).toBe('b');
  });

  it('connection listeners that throw or reject are reported; the socket stays connected', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    h.io.on('connection', echo);
    h.io.on('connection', () => {
      throw new Error('sync connection boom');
    });
    h.io.of('/async').on('connection', async (socket: Socket) => {
      echo(socket);
      await Promise.resolve();
      throw new Error('async connection boom');
    });
    const main = await h.connect('/', options, final);
    const other = await h.connect('/async', options, final);
    await until(() => errors.mock.calls.length >= 2, 'both reported');
    expect(reportedErrors(errors).sort()).toEqual(['async connection boom', 'sync connection boom']);
    expect(await main.emitWithAck('echo', 'm')).toBe('m');
    expect(await other.emitWithAck('echo', 'o')).toBe('o');
  });

  it('acknowledgement callbacks that throw are reported, whatever calls them; the socket keeps working', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    echo(socket);
    client.on('ask', (ack: (v: string) => void) => ack('answer'));
    client.on('ignore', () => {});
    const throwing = (message: string, done: () => void) => () => {
      done();
      throw new Error(message);
    };
    await new Promise<void>((resolve) => socket.emit('ask', throwing('client ack', resolve)));
    await new Promise<void>((resolve) => socket.timeout(100).emit('ignore', throwing('ack timeout', resolve)));
    await new Promise<void>((resolve) => h.io.timeout(5000).emit('ask', throwing('broadcast ack', resolve)));
    await new Promise<void>((resolve) => h.io.timeout(100).emit('ignore', throwing('broadcast timeout', resolve)));
    expect(await client.emitWithAck('echo', 'after')).toBe('after');

    // An ack still pending when the socket leaves: its error is reported and 'disconnect' still fires.
    const gone = once<[string]>(socket, 'disconnect');
    socket.timeout(10_000).emit('ignore', () => {
      throw new Error('ack at disconnect');
    });
    await once(client, 'ignore');
    client.disconnect();
    expect((await gone)[0]).toBe('client namespace disconnect');
    expect(reportedErrors(errors)).toEqual(['client ack', 'ack timeout', 'broadcast ack', 'broadcast timeout', 'ack at disconnect']);
  });

  it('a client event named "error" with no server listener does not crash anything', async () => {
    const errors = captureConsoleError();
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    echo(socket);
    const any: unknown[][] = [];
    socket.onAny((...args: unknown[]) => any.push(args));
    client.emit('error', 'from the client');
    expect(await client.emitWithAck('echo', 'still fine')).toBe('still fine');
    expect(any[0]).toEqual(['error', 'from the client']);
    expect(socket.connected).toBe(true);
    expect(errors).not.toHaveBeenCalled();
  });
});
