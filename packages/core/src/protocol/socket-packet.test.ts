import { describe, expect, it } from 'vitest';
import { decodeEio4Packet, encodeEio4Packet } from './eio4.js';
import { EnginePacketType } from './engine-packet.js';
import * as protocol from './index.js';
import {
  encodeSocketPacket,
  hasBinary,
  RESERVED_EVENTS,
  type SocketPacket,
  SocketPacketDecoder,
  SocketPacketType,
} from './socket-packet.js';

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR, BINARY_EVENT, BINARY_ACK } = SocketPacketType;
const placeholder = (num: number): string => `{"_placeholder":true,"num":${num}}`;

/** The text of a packet framed as the Engine.IO v4 message a websocket carries. */
function toWire(text: string): string {
  return encodeEio4Packet({ type: EnginePacketType.MESSAGE, data: text }) as string;
}

/** The text of a Socket.IO packet inside an Engine.IO v4 message. */
function fromWire(frame: string): string {
  const packet = decodeEio4Packet(frame);
  expect(packet.type).toBe(EnginePacketType.MESSAGE);
  return packet.data as string;
}

/** Feeds messages in order: every message but the last must leave the packet incomplete. */
function decode(messages: ReadonlyArray<string | Buffer>, decoder = new SocketPacketDecoder()): SocketPacket {
  for (let i = 0; i < messages.length - 1; i++) expect(decoder.add(messages[i]!)).toBeNull();
  const packet = decoder.add(messages[messages.length - 1]!);
  expect(packet).not.toBeNull();
  return packet!;
}

describe('Socket.IO packet encoding', () => {
  it('writes every packet type, leaving out the main namespace', () => {
    expect(encodeSocketPacket({ type: CONNECT, nsp: '/' })).toEqual(['0']);
    expect(toWire(encodeSocketPacket({ type: CONNECT, nsp: '/', data: { sid: 'x' } })[0])).toBe('40{"sid":"x"}');
    const admin = encodeSocketPacket({ type: CONNECT, nsp: '/admin', data: { sid: 'oSO0' } });
    expect(admin).toEqual(['0/admin,{"sid":"oSO0"}']);
    expect(encodeSocketPacket({ type: CONNECT, nsp: '/admin' })).toEqual(['0/admin,']);
    expect(encodeSocketPacket({ type: DISCONNECT, nsp: '/' })).toEqual(['1']);
    expect(encodeSocketPacket({ type: DISCONNECT, nsp: '/admin' })).toEqual(['1/admin,']);
    expect(encodeSocketPacket({ type: EVENT, nsp: '/', data: ['foo'] })).toEqual(['2["foo"]']);
    expect(encodeSocketPacket({ type: EVENT, nsp: '/', id: 12, data: ['foo'] })).toEqual(['212["foo"]']);
    expect(encodeSocketPacket({ type: EVENT, nsp: '/admin', id: 12, data: ['bar'] })).toEqual(['2/admin,12["bar"]']);
    expect(encodeSocketPacket({ type: ACK, nsp: '/admin', id: 13, data: ['bar'] })).toEqual(['3/admin,13["bar"]']);
    const ack = encodeSocketPacket({ type: ACK, nsp: '/', id: 456, data: [1, '2', { 3: [false] }] });
    expect(toWire(ack[0])).toBe('43456[1,"2",{"3":[false]}]');
    const refused = encodeSocketPacket({ type: CONNECT_ERROR, nsp: '/random', data: { message: 'Invalid namespace' } });
    expect(toWire(refused[0])).toBe('44/random,{"message":"Invalid namespace"}');
    expect(encodeSocketPacket({ type: CONNECT_ERROR, nsp: '/', data: 'Not authorized' })).toEqual([
      '4"Not authorized"',
    ]);
  });

  it('sends EVENT with binary as BINARY_EVENT with its attachments after the text', () => {
    const a = Buffer.from([1, 2]);
    const b = Buffer.from([3, 4]);
    const [text, ...attachments] = encodeSocketPacket({ type: EVENT, nsp: '/', data: ['message-back', a, b] });
    expect(toWire(text)).toBe(`452-["message-back",${placeholder(0)},${placeholder(1)}]`);
    expect(attachments).toHaveLength(2);
    expect(attachments[0]).toBe(a);
    expect(attachments[1]).toBe(b);
    const admin = encodeSocketPacket({ type: BINARY_EVENT, nsp: '/admin', data: ['baz', a] });
    expect(admin[0]).toBe(`51-/admin,["baz",${placeholder(0)}]`);
  });

  it('sends ACK with binary as BINARY_ACK, numbering nested binaries depth first', () => {
    const data = [Buffer.from('a'), { nested: { deep: [new Uint8Array([9])] } }, 'x'];
    const [text, ...attachments] = encodeSocketPacket({ type: ACK, nsp: '/', id: 789, data });
    expect(toWire(text)).toBe(`462-789[${placeholder(0)},{"nested":{"deep":[${placeholder(1)}]}},"x"]`);
    expect(attachments.map((b) => [...b])).toEqual([[97], [9]]);
    expect(data[0]).toBeInstanceOf(Buffer); // the caller's data is left alone
  });

  it('turns BINARY_* without binary into EVENT/ACK', () => {
    expect(encodeSocketPacket({ type: BINARY_EVENT, nsp: '/', data: ['a'] })).toEqual(['2["a"]']);
    expect(encodeSocketPacket({ type: BINARY_ACK, nsp: '/', id: 1, data: [] })).toEqual(['31[]']);
  });

  it('makes Buffers of ArrayBuffers and views, sharing their memory', () => {
    const memory = new ArrayBuffer(8);
    const view = new Uint8Array(memory, 2, 4);
    const [, fromView, fromBuffer, fromDataView] = encodeSocketPacket({
      type: EVENT,
      nsp: '/',
      data: ['bin', view, memory, new DataView(memory, 6, 2)],
    });
    new Uint8Array(memory).set([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...fromView!]).toEqual([2, 3, 4, 5]);
    expect([...fromBuffer!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...fromDataView!]).toEqual([6, 7]);
  });

  it('writes compact JSON and honours toJSON like JSON.stringify', () => {
    const when = new Date(Date.UTC(2024, 0, 2));
    const data = ['t', { at: when, skip: undefined, f: () => 1 }, undefined, { toJSON: () => 'custom' }];
    const expected = `2${JSON.stringify(data)}`;
    expect(encodeSocketPacket({ type: EVENT, nsp: '/', data })).toEqual([expected]);
    expect(expected).toBe('2["t",{"at":"2024-01-02T00:00:00.000Z"},null,"custom"]');
    const wrapped = { toJSON: (key: string) => ({ key, bytes: Buffer.from([5]) }) };
    const [text, bytes] = encodeSocketPacket({ type: EVENT, nsp: '/', data: ['w', when, wrapped] });
    expect(text).toBe(`51-["w","2024-01-02T00:00:00.000Z",{"key":"2","bytes":${placeholder(0)}}]`);
    expect([...bytes!]).toEqual([5]);
  });

  it('keeps a "__proto__" key as a key when copying around binary', () => {
    const data = JSON.parse('[{"__proto__":{"x":1},"b":0}]') as [Record<string, unknown>];
    data[0]['b'] = Buffer.from([1]);
    expect(encodeSocketPacket({ type: EVENT, nsp: '/', data: ['p', ...data] })[0]).toBe(
      `51-["p",{"__proto__":{"x":1},"b":${placeholder(0)}}]`,
    );
  });

  it('lets a cycle throw a TypeError, with or without binary', () => {
    const loop: unknown[] = ['loop'];
    loop.push(loop);
    expect(() => encodeSocketPacket({ type: EVENT, nsp: '/', data: loop })).toThrow(TypeError);
    const deep: Record<string, unknown> = {};
    let tail = deep;
    for (let i = 0; i < 50; i++) tail = tail['next'] = {};
    tail['back'] = deep;
    expect(() => encodeSocketPacket({ type: EVENT, nsp: '/', data: ['d', deep] })).toThrow(TypeError);
    expect(() => encodeSocketPacket({ type: EVENT, nsp: '/', data: ['d', Buffer.alloc(1), deep] })).toThrow(TypeError);
  });

  it('refuses a namespace without a leading slash and a bad ack id', () => {
    expect(() => encodeSocketPacket({ type: EVENT, nsp: 'admin', data: ['a'] })).toThrow(TypeError);
    expect(() => encodeSocketPacket({ type: EVENT, nsp: '/', id: -1, data: ['a'] })).toThrow(TypeError);
    expect(() => encodeSocketPacket({ type: EVENT, nsp: '/', id: 1.5, data: ['a'] })).toThrow(TypeError);
  });
});

describe('ack ids', () => {
  it('decodes every safe integer the encoder writes, 16-digit ones included (found by fuzzing: id 1165867902659157)', () => {
    for (const id of [1165867902659157, Number.MAX_SAFE_INTEGER]) {
      const [text] = encodeSocketPacket({ type: EVENT, nsp: '/', id, data: ['a'] });
      expect(new SocketPacketDecoder().add(text)).toEqual({ type: EVENT, nsp: '/', id, data: ['a'] });
    }
  });
});

describe('hasBinary', () => {
  it('finds binary values at any depth', () => {
    for (const value of [undefined, null, 0, 'str', true, {}, [], new Date(), { a: [{ b: 'c' }] }, () => 1]) {
      expect(hasBinary(value)).toBe(false);
    }
    const memory = new ArrayBuffer(1);
    const binaries = [Buffer.alloc(0), memory, new Uint8Array(1), new Float64Array(1), new DataView(memory)];
    for (const binary of binaries) {
      expect(hasBinary(binary)).toBe(true);
      expect(hasBinary([1, { a: [{ b: binary }] }])).toBe(true);
    }
    expect(hasBinary({ toJSON: () => Buffer.alloc(1) })).toBe(true);
  });

  it('stops at the first binary found', () => {
    const data = [Buffer.alloc(1), { get late(): never { throw new Error('walked too far'); } }];
    expect(hasBinary(data)).toBe(true);
  });
});

describe('Socket.IO packet decoding', () => {
  it('reads every packet type', () => {
    const cases: Array<[string, SocketPacket]> = [
      ['0', { type: CONNECT, nsp: '/' }],
      ['0{"token":"123"}', { type: CONNECT, nsp: '/', data: { token: '123' } }],
      ['0/custom,{"token":"abc"}', { type: CONNECT, nsp: '/custom', data: { token: 'abc' } }],
      ['0/admin?token=x,', { type: CONNECT, nsp: '/admin?token=x' }],
      ['0/admin', { type: CONNECT, nsp: '/admin' }],
      ['1', { type: DISCONNECT, nsp: '/' }],
      ['1/admin,', { type: DISCONNECT, nsp: '/admin' }],
      ['2["foo"]', { type: EVENT, nsp: '/', data: ['foo'] }],
      ['2[7,"x"]', { type: EVENT, nsp: '/', data: [7, 'x'] }],
      ['212["foo"]', { type: EVENT, nsp: '/', id: 12, data: ['foo'] }],
      ['2/admin,12["bar"]', { type: EVENT, nsp: '/admin', id: 12, data: ['bar'] }],
      ['2999999999999999["a"]', { type: EVENT, nsp: '/', id: 999999999999999, data: ['a'] }],
      ['3/admin,13["bar"]', { type: ACK, nsp: '/admin', id: 13, data: ['bar'] }],
      ['30[]', { type: ACK, nsp: '/', id: 0, data: [] }],
      ['4"Not authorized"', { type: CONNECT_ERROR, nsp: '/', data: 'Not authorized' }],
      ['4{"message":"no","data":{"a":1}}', { type: CONNECT_ERROR, nsp: '/', data: { message: 'no', data: { a: 1 } } }],
    ];
    for (const [text, packet] of cases) expect(decode([text])).toStrictEqual(packet);
  });

  it('reads the packets of the Engine.IO wire', () => {
    expect(decode([fromWire('40{"sid":"x"}')])).toEqual({ type: CONNECT, nsp: '/', data: { sid: 'x' } });
    expect(decode([fromWire('44/random,{"message":"Invalid namespace"}')])).toEqual({
      type: CONNECT_ERROR,
      nsp: '/random',
      data: { message: 'Invalid namespace' },
    });
    expect(decode([fromWire('43456[1,"2",{"3":[false]}]')])).toEqual({
      type: ACK,
      nsp: '/',
      id: 456,
      data: [1, '2', { 3: [false] }],
    });
  });

  it('puts the attachments of a binary packet back in place, keeping the wire type', () => {
    const a = Buffer.from([1]);
    const b = Buffer.from([2]);
    const event = decode([fromWire(`452-["message-back",${placeholder(0)},${placeholder(1)}]`), a, b]);
    expect(event).toEqual({ type: BINARY_EVENT, nsp: '/', data: ['message-back', a, b] });
    expect((event.data as unknown[])[2]).toBe(b);
    const ack = decode([fromWire(`462-789[{"x":[${placeholder(1)}]},${placeholder(0)}]`), a, b]);
    expect(ack).toEqual({ type: BINARY_ACK, nsp: '/', id: 789, data: [{ x: [b] }, a] });
    const admin = decode([`51-/admin,7["e",${placeholder(0)}]`, a]);
    expect(admin).toEqual({ type: BINARY_EVENT, nsp: '/admin', id: 7, data: ['e', a] });
  });

  it('round-trips nested binary: Buffer, ArrayBuffer, Uint8Array, DataView', () => {
    const data = [
      'upload',
      { files: [{ name: 'a', body: Buffer.from('hello') }, { name: 'b', body: new Uint8Array([1, 2, 3]).buffer }] },
      [[new Uint8Array([4, 5])], { view: new DataView(new Uint8Array([6, 7, 8]).buffer, 1, 2) }],
    ];
    const messages = encodeSocketPacket({ type: EVENT, nsp: '/files', id: 3, data });
    expect(messages).toHaveLength(5);
    expect(decode(messages)).toEqual({
      type: BINARY_EVENT,
      nsp: '/files',
      id: 3,
      data: [
        'upload',
        { files: [{ name: 'a', body: Buffer.from('hello') }, { name: 'b', body: Buffer.from([1, 2, 3]) }] },
        [[Buffer.from([4, 5])], { view: Buffer.from([7, 8]) }],
      ],
    });
  });

  it('round-trips what it encodes, one decoder for many packets', () => {
    const decoder = new SocketPacketDecoder();
    const packets: SocketPacket[] = [
      { type: CONNECT, nsp: '/', data: { auth: { token: 'é€😀' } } },
      { type: EVENT, nsp: '/chat', data: ['msg', 'a,b', { nested: ['/x,'] }] },
      { type: BINARY_ACK, nsp: '/', id: 42, data: [Buffer.from([0xff]), null] },
      { type: EVENT, nsp: '/', data: [1.5, 'u\u2028'] },
      { type: DISCONNECT, nsp: '/chat' },
    ];
    for (const packet of packets) expect(decode(encodeSocketPacket(packet), decoder)).toEqual(packet);
  });

  it('drops a half-received packet on reset', () => {
    const decoder = new SocketPacketDecoder();
    expect(decoder.add(`52-["a",${placeholder(0)},${placeholder(1)}]`)).toBeNull();
    expect(decoder.add(Buffer.from([1]))).toBeNull();
    decoder.reset();
    expect(decoder.add('2["b"]')).toEqual({ type: EVENT, nsp: '/', data: ['b'] });
  });

  it('honours maxAttachments', () => {
    const text = (n: number): string => `5${n}-["a",${Array.from({ length: n }, (_, i) => placeholder(i)).join(',')}]`;
    expect(() => new SocketPacketDecoder({ maxAttachments: 2 }).add(text(3))).toThrow(protocol.ProtocolError);
    const many = Array.from({ length: 11 }, (_, i) => Buffer.from([i]));
    const packet = decode([text(11), ...many], new SocketPacketDecoder({ maxAttachments: 12 }));
    expect(packet.data).toEqual(['a', ...many]);
    expect(() => new SocketPacketDecoder({ maxAttachments: -1 })).toThrow(RangeError);
  });

  it('finds placeholders in deeply nested data without recursion (when maxNestingDepth allows it)', () => {
    const depth = 100_000;
    const text = `51-["deep",${'['.repeat(depth)}${placeholder(0)}${']'.repeat(depth)}]`;
    let node = (decode([text, Buffer.from([1])], new SocketPacketDecoder({ maxNestingDepth: depth + 2 })).data as unknown[])[1];
    for (let i = 0; i < depth; i++) node = (node as unknown[])[0];
    expect(node).toEqual(Buffer.from([1]));
  });

  it('is exported from the protocol index', () => {
    expect(protocol.encodeSocketPacket).toBe(encodeSocketPacket);
    expect(protocol.SocketPacketDecoder).toBe(SocketPacketDecoder);
    expect(protocol.hasBinary).toBe(hasBinary);
    expect([...protocol.RESERVED_EVENTS].sort()).toEqual(
      ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].sort(),
    );
    expect(RESERVED_EVENTS).toBe(protocol.RESERVED_EVENTS);
  });
});
