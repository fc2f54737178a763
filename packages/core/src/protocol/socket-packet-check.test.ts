import { describe, expect, it } from 'vitest';
import { expectProtocolError } from './expect-protocol-error.js';
import { checkSocketPacket } from './socket-packet-check.js';
import { SocketPacketType } from './socket-packet-type.js';

describe('checkSocketPacket (packets a custom parser decoded)', () => {
  it('keeps type, nsp, id and data, and nothing else', () => {
    const packet = checkSocketPacket({ type: SocketPacketType.EVENT, nsp: '/', id: 3, data: ['hi', 1], extra: true });
    expect(packet).toEqual({ type: SocketPacketType.EVENT, nsp: '/', id: 3, data: ['hi', 1] });
    expect(checkSocketPacket({ type: SocketPacketType.CONNECT, nsp: '/a', id: null })).toEqual({ type: SocketPacketType.CONNECT, nsp: '/a' });
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', [2, '/']],
    ['an unknown type', { type: 7, nsp: '/', data: ['a'] }],
    ['a fractional type', { type: 2.5, nsp: '/', data: ['a'] }],
    ['a type of another kind', { type: 2n, nsp: '/', data: ['a'] }],
    ['no nsp', { type: SocketPacketType.EVENT, data: ['a'] }],
    ['a negative ack id', { type: SocketPacketType.EVENT, nsp: '/', id: -1, data: ['a'] }],
    ['a string ack id', { type: SocketPacketType.EVENT, nsp: '/', id: '1', data: ['a'] }],
    ['an EVENT without an array', { type: SocketPacketType.EVENT, nsp: '/', data: 'a' }],
    ['a reserved event name', { type: SocketPacketType.EVENT, nsp: '/', data: ['disconnect'] }],
    ['an event name of another type', { type: SocketPacketType.EVENT, nsp: '/', data: [{}] }],
    ['an ACK without an id', { type: SocketPacketType.ACK, nsp: '/', data: [] }],
    ['a CONNECT with an array', { type: SocketPacketType.CONNECT, nsp: '/', data: [] }],
  ])('refuses %s', (_, value) => {
    expectProtocolError(() => checkSocketPacket(value));
  });
});
