// The `parser` option: a socket.io-parser-compatible parser (socket.io-msgpack-parser, or one written here)
// for socket.io-client 3.x/4.x (Engine.IO v4), as in socket.io. socket.io-client 2.x and 0.9 keep their own
// wire on the same server; a 4.x client with the default parser cannot talk to it.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { Adapter as SioAdapter } from 'socket.io-adapter';
import * as msgpackParser from 'socket.io-msgpack-parser';
import { describe, expect, it } from 'vitest';
import { Server, type ServerOptions, type Session, type Socket } from '../src/index.js';
import { eventOf, useLegacy } from './legacy-helpers.js';
import { emitWithAckV2, useV2Clients } from './sio2-helpers.js';
import { once, TRANSPORTS, until } from './sio-helpers.js';

const { start } = useLegacy();
const v2 = useV2Clients();

/** A parser of our own: each packet is one text message, `J` then its JSON (binary is not its concern). */
const prefixedJson = {
  Encoder: class {
    encode(packet: unknown): string[] {
      return ['J' + JSON.stringify(packet)];
    }
  },
  Decoder: class extends EventEmitter {
    add(chunk: unknown): void {
      if (typeof chunk !== 'string' || !chunk.startsWith('J')) throw new Error('not a J message');
      this.emit('decoded', JSON.parse(chunk.slice(1)));
    }
    destroy(): void {}
  },
};

function joinAndEcho(io: Server): void {
  io.on('connection', (socket: Socket) => {
    socket.on('join', (room: string, ack: (ok: boolean) => void) => {
      socket.join(room);
      ack(true);
    });
    socket.on('echo', (...args: unknown[]) => {
      const ack = args.pop() as (...answer: unknown[]) => void;
      ack(...args);
    });
  });
}

describe.each(TRANSPORTS)('socket.io-msgpack-parser over $name', ({ options: transport }) => {
  const parser = { parser: msgpackParser };

  it('a 4.x client with the same parser connects, emits binary with acks, and gets broadcasts and room broadcasts', async () => {
    const h = await start({ ...parser, protocol09: false });
    joinAndEcho(h.io);
    expect(h.io.encoder).toBeInstanceOf(msgpackParser.Encoder);
    const [client, server] = await h.sio.pair('/', { ...transport, ...parser });
    const [outsider] = await h.sio.pair('/', { ...transport, ...parser });
    client.on('ask', (n: number, ack: (m: number) => void) => ack(n + 1));
    client.on('poll', (n: number, ack: (m: number) => void) => ack(n + 1));

    const bytes = Buffer.from([0, 1, 2, 255]);
    const answer = await new Promise<unknown[]>((resolve) => client.emit('echo', 'text', bytes, { nested: [bytes] }, (...args: unknown[]) => resolve(args)));
    expect(answer[0]).toBe('text');
    expect(Buffer.from(answer[1] as Uint8Array)).toEqual(bytes);
    expect(Buffer.from((answer[2] as { nested: Uint8Array[] }).nested[0]!)).toEqual(bytes);

    const fromServer = await server.timeout(5000).emitWithAck('ask', 7);
    expect(fromServer).toBe(8);

    const everyone = Promise.all([once(client, 'all'), once(outsider, 'all')]);
    h.io.emit('all', bytes);
    for (const [got] of await everyone) expect(Buffer.from(got as Uint8Array)).toEqual(bytes);

    expect(await client.emitWithAck('join', 'news')).toBe(true);
    let outsiderHeard = false;
    outsider.on('news', () => (outsiderHeard = true));
    const news = once<[string]>(client, 'news');
    h.io.to('news').emit('news', 'hello');
    expect(await news).toEqual(['hello']);
    const acks = await h.io.to('news').timeout(5000).emitWithAck('poll', 1);
    expect(acks).toEqual([2]);
    await h.sio.connect('/', { ...transport, ...parser }); // one round trip more: anything for the outsider has arrived
    expect(outsiderHeard).toBe(false);
  }, 15_000);

  it('socket.io-client 2.x and 0.9 keep their own wire, in the same rooms and broadcasts', async () => {
    const h = await start(parser);
    joinAndEcho(h.io);
    const modern = await h.sio.connect('/', { ...transport, ...parser });
    const middle = await v2.connect(h.url, { transports: (transport.transports ?? []).map(String) });
    const old = await h.connect('/', transport.transports?.[0] === 'polling' ? 'xhr-polling' : 'websocket');
    expect(await modern.emitWithAck('join', 'r')).toBe(true);
    expect(await emitWithAckV2(middle, 'join', 'r')).toEqual([true]);
    expect(await new Promise((resolve) => old.emit('join', 'r', resolve))).toBe(true);
    expect(await emitWithAckV2(middle, 'echo', 'two')).toEqual(['two']);

    const heard = Promise.all([once(modern, 'hi'), eventOf(middle as never, 'hi'), eventOf(old, 'hi')]);
    h.io.to('r').emit('hi', { n: 1 });
    expect(await heard).toEqual([[{ n: 1 }], [{ n: 1 }], [{ n: 1 }]]);
  }, 15_000);

  it('an adapter built on socket.io-adapter encodes with io.encoder (the parser) and reaches every generation', async () => {
    const h = await start({ ...parser, adapter: SioAdapter });
    const modern = await h.sio.connect('/', { ...transport, ...parser });
    const middle = await v2.connect(h.url, { transports: (transport.transports ?? []).map(String) });
    const old = await h.connect('/', transport.transports?.[0] === 'polling' ? 'xhr-polling' : 'websocket');
    const bytes = Buffer.from([9, 8, 7]);
    const heard = Promise.all([once(modern, 'bin'), eventOf(middle as never, 'bin'), eventOf(old, 'text')]);
    h.io.emit('bin', bytes);
    h.io.emit('text', 'plain');
    const [[a], [b], [c]] = await heard;
    expect(Buffer.from(a as Uint8Array)).toEqual(bytes);
    expect(Buffer.from(b as Uint8Array)).toEqual(bytes);
    expect(c).toBe('plain');
  }, 15_000);

  it('a 4.x client with the default parser never connects: the server closes the connection it cannot decode', async () => {
    const h = await start(parser);
    let connected = false;
    h.io.on('connection', () => (connected = true));
    const client = h.sio.client('/', transport);
    client.on('connect', () => (connected = true));
    const [reason] = await once<[string]>(client, 'disconnect');
    expect(reason).toBe('transport close');
    expect(connected).toBe(false);
    await until(() => h.io.engine.sessionCount === 0);
  });
});

describe('a parser written here (socket.io-parser interface)', () => {
  const parser = { parser: prefixedJson };

  it.each(TRANSPORTS)('carries events, acks and broadcasts in its own encoding over $name', async ({ options: transport }) => {
    const h = await start(parser);
    joinAndEcho(h.io);
    const [client, server] = await h.sio.pair('/', { ...transport, ...parser });
    const sent: unknown[] = [];
    (server.conn as Session).on('packetCreate', (packet) => sent.push(packet.data));
    expect(await client.timeout(5000).emitWithAck('echo', 'a', 1)).toBe('a');
    expect(await client.emitWithAck('join', 'room')).toBe(true);
    const heard = once(client, 'news');
    h.io.to('room').emit('news', [1, 2]);
    expect(await heard).toEqual([[1, 2]]);
    expect(sent.filter((data) => typeof data === 'string').every((data) => (data as string).startsWith('J{'))).toBe(true);
    expect(sent.length).toBeGreaterThanOrEqual(3);
  });

  it('what its decoder refuses, or decodes into no packet, closes that connection only', async () => {
    const h = await start(parser);
    const [client, server] = await h.sio.pair('/', { transports: ['websocket'], ...parser });
    const errors: unknown[] = [];
    server.on('error', (err) => errors.push(err));
    const left = once<[string]>(server, 'disconnect');
    (client.io.engine as unknown as { send(data: string): void }).send('J{"type":2,"nsp":"/","data":["disconnect"]}');
    expect((await left)[0]).toBe('forced close');
    expect(errors[0]).toMatchObject({ code: 'ERR_PROTOCOL_INVALID_PACKET' });

    const [other, otherServer] = await h.sio.pair('/', { transports: ['websocket'], ...parser });
    const gone = once<[string]>(otherServer, 'disconnect');
    (other.io.engine as unknown as { send(data: string): void }).send('not J');
    expect((await gone)[0]).toBe('forced close');
  });
});

describe('the parser option at construction', () => {
  it('is refused with allowEIO4: false, where it would serve no client', async () => {
    expect(() => new Server({ parser: msgpackParser, allowEIO4: false } as ServerOptions)).toThrow(/option "parser" applies to socket.io-client 3.x and 4.x/);
    const io = new Server({ parser: msgpackParser });
    expect(() => io.attach(createServer(), { allowEIO4: false })).toThrow(/option "parser"/);
    await io.close();
  });

  it.each([
    ['null', null],
    ['a module without classes', { encode() {} }],
    ['an Encoder without encode()', { Encoder: class {}, Decoder: prefixedJson.Decoder }],
    ['a Decoder without add()', { Encoder: prefixedJson.Encoder, Decoder: class extends EventEmitter {} }],
  ])('refuses %s as a parser', (_, parser) => {
    expect(() => new Server({ parser } as unknown as ServerOptions)).toThrow(TypeError);
  });

  it('is not taken by attach(srv, opts), which cannot change it', async () => {
    const io = new Server();
    expect(() => io.attach(createServer(), { parser: msgpackParser })).toThrow(/given to the constructor|give it to the constructor/);
    await io.close();
  });
});
