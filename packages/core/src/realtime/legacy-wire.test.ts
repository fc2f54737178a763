import { describe, expect, it } from 'vitest';
import { encodeSocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import { endpointOf, LEGACY_WIRE, namespaceOf, toLegacyText } from './legacy-wire.js';
import { OutgoingPacket } from './outgoing-packet.js';

const { CONNECT, DISCONNECT, EVENT, ACK, CONNECT_ERROR } = SocketPacketType;

describe('Socket.IO packets in the 0.9 format', () => {
  it.each([
    [{ type: CONNECT, nsp: '/chat', data: { sid: 'x' } }, '1::/chat'],
    [{ type: DISCONNECT, nsp: '/chat' }, '0::/chat'],
    [{ type: DISCONNECT, nsp: '/' }, '0::'],
    [{ type: CONNECT_ERROR, nsp: '/admin', data: { message: 'nope' } }, '7::/admin:2'],
    [{ type: EVENT, nsp: '/', data: ['news', { a: 1 }, 'b+c'] }, '5:::{"name":"news","args":[{"a":1},"b+c"]}'],
    [{ type: EVENT, nsp: '/chat', id: 12, data: ['ask'] }, '5:12+:/chat:{"name":"ask"}'],
    [{ type: EVENT, nsp: '/', data: [7, 'numeric name'] }, '5:::{"name":"7","args":["numeric name"]}'],
    [{ type: EVENT, nsp: '/', data: ['message', 'plain'] }, '3:::plain'],
    [{ type: EVENT, nsp: '/chat', data: ['message', { j: true }] }, '4::/chat:{"j":true}'],
    [{ type: EVENT, nsp: '/', data: ['message', 'a', 'b'] }, '5:::{"name":"message","args":["a","b"]}'],
    [{ type: EVENT, nsp: '/', id: 3, data: ['message', 'x'] }, '5:3+::{"name":"message","args":["x"]}'],
    [{ type: ACK, nsp: '/', id: 4, data: ['x+y', 1] }, '6:::4+["x+y",1]'],
    [{ type: ACK, nsp: '/chat', id: 5, data: [] }, '6::/chat:5+[]'],
  ])('%j → %j', (packet, text) => {
    expect(toLegacyText(packet)).toBe(text);
  });

  it('has no 0.9 form for the connection of /, which the transport announces itself', () => {
    expect(toLegacyText({ type: CONNECT, nsp: '/', data: { sid: 'x' } })).toBeUndefined();
    expect(new OutgoingPacket({ type: CONNECT, nsp: '/' }).encodedFor(LEGACY_WIRE)).toBeUndefined();
  });

  it('encodes once per packet however many read it', () => {
    let encodings = 0;
    const packet = new OutgoingPacket({ type: EVENT, nsp: '/', data: ['e', { toJSON: () => (encodings++, 1) }] }, true);
    expect([1, 2, 3].map(() => packet.encodedFor(LEGACY_WIRE))).toEqual(Array(3).fill('5:::{"name":"e","args":[1]}'));
    expect(encodings).toBe(1);
  });

  it('keeps a failed encoding: every later recipient, of any format, gets the same error without a second attempt', () => {
    let attempts = 0;
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const packet = new OutgoingPacket({ type: EVENT, nsp: '/', data: ['e', { toJSON: () => (attempts++, cycle) }] }, true);
    let first: unknown;
    try {
      packet.encodedFor(LEGACY_WIRE);
    } catch (err) {
      first = err;
    }
    expect(first).toMatchObject({ code: 'ERR_REALTIME_UNENCODABLE' });
    expect(() => packet.encodedFor(LEGACY_WIRE)).toThrow(first as Error);
    expect(() => packet.socketIo).toThrow(first as Error);
    expect(attempts).toBe(1);
  });

  it('translates a packet given in its Socket.IO encoding (as socket.io-adapter hands it over)', () => {
    const encoded = encodeSocketPacket({ type: EVENT, nsp: '/chat', id: 7, data: ['ask', { a: 1 }] });
    const packet = new OutgoingPacket(encoded, true);
    expect(packet.socketIo).toBe(encoded);
    expect(packet.encodedFor(LEGACY_WIRE)).toBe('5:7+:/chat:{"name":"ask","args":[{"a":1}]}');
    expect(packet.packet).toEqual({ type: EVENT, nsp: '/chat', id: 7, data: ['ask', { a: 1 }] });
  });

  it('maps endpoints and namespaces both ways', () => {
    expect([endpointOf('/'), endpointOf('/chat')]).toEqual(['', '/chat']);
    expect([namespaceOf(''), namespaceOf('/chat'), namespaceOf('chat')]).toEqual(['/', '/chat', '/chat']);
  });
});
