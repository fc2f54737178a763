import { describe, expect, it } from 'vitest';
import {
  decodeEio3BinaryPayload,
  decodeEio3Packet,
  decodeEio3Payload,
  eio3BinaryRecord,
  encodeEio3BinaryPayload,
  encodeEio3Packet,
  encodeEio3Payload,
} from './eio3.js';
import { EnginePacketType } from './engine-packet.js';
import { ProtocolErrorCode } from './errors.js';
import { expectProtocolError } from './expect-protocol-error.js';

const bytes = Buffer.from([1, 2, 3, 4]);

describe('Engine.IO v3 encoding', () => {
  it('frames websocket packets: text as in v4, binary with the type byte first', () => {
    expect(encodeEio3Packet({ type: EnginePacketType.MESSAGE, data: 'hello' })).toBe('4hello');
    expect(encodeEio3Packet({ type: EnginePacketType.PONG })).toBe('3');
    expect(encodeEio3Packet({ type: EnginePacketType.MESSAGE, data: bytes })).toEqual(Buffer.from([4, 1, 2, 3, 4]));
  });

  it('writes text payloads as <length>:<packet>, binary as b4<base64>', () => {
    expect(
      encodeEio3Payload([
        { type: EnginePacketType.MESSAGE, data: 'hello' },
        { type: EnginePacketType.MESSAGE, data: bytes },
        { type: EnginePacketType.NOOP },
      ]),
    ).toBe('6:4hello10:b4AQIDBA==1:6');
  });

  it('counts text lengths in UTF-16 code units', () => {
    expect(encodeEio3Payload([{ type: EnginePacketType.MESSAGE, data: 'é😀' }])).toBe('4:4é😀');
    expect(decodeEio3Payload('4:4é😀2:4a')).toEqual([
      { type: EnginePacketType.MESSAGE, data: 'é😀' },
      { type: EnginePacketType.MESSAGE, data: 'a' },
    ]);
  });

  it('writes binary payloads as <0|1><digits><0xFF><data> records', () => {
    const payload = encodeEio3BinaryPayload([
      { type: EnginePacketType.MESSAGE, data: 'hello' },
      { type: EnginePacketType.MESSAGE, data: bytes },
    ]);
    expect([...payload]).toEqual([0, 6, 255, 52, 104, 101, 108, 108, 111, 1, 5, 255, 4, 1, 2, 3, 4]);
  });

  it('counts text records of a binary payload in UTF-8 bytes, with one byte per length digit', () => {
    const record = eio3BinaryRecord('4' + 'é'.repeat(6)); // 13 bytes
    expect([...record.subarray(0, 4)]).toEqual([0, 1, 3, 255]);
    expect(decodeEio3BinaryPayload(record)).toEqual([{ type: EnginePacketType.MESSAGE, data: 'é'.repeat(6) }]);
  });
});

describe('Engine.IO v3 decoding', () => {
  it('reads websocket frames: text, b4<base64>, and binary led by the type byte', () => {
    expect(decodeEio3Packet('2')).toEqual({ type: EnginePacketType.PING });
    expect(decodeEio3Packet('2probe')).toEqual({ type: EnginePacketType.PING, data: 'probe' });
    expect(decodeEio3Packet('b4AQIDBA==')).toEqual({ type: EnginePacketType.MESSAGE, data: bytes });
    expect(decodeEio3Packet(Buffer.from([4, 1, 2, 3, 4]))).toEqual({ type: EnginePacketType.MESSAGE, data: bytes });
  });

  it('reads text payloads, skipping empty records', () => {
    expect(decodeEio3Payload('6:4hello10:b4AQIDBA==')).toEqual([
      { type: EnginePacketType.MESSAGE, data: 'hello' },
      { type: EnginePacketType.MESSAGE, data: bytes },
    ]);
    expect(decodeEio3Payload('1:20:')).toEqual([{ type: EnginePacketType.PING }]);
  });

  it('reads binary payloads', () => {
    const payload = Buffer.from([0, 6, 255, 52, 104, 101, 108, 108, 111, 1, 5, 255, 4, 1, 2, 3, 4]);
    expect(decodeEio3BinaryPayload(payload)).toEqual([
      { type: EnginePacketType.MESSAGE, data: 'hello' },
      { type: EnginePacketType.MESSAGE, data: bytes },
    ]);
  });

  it('refuses malformed packets', () => {
    expectProtocolError(() => decodeEio3Packet('abc'));
    expectProtocolError(() => decodeEio3Packet(''));
    expectProtocolError(() => decodeEio3Packet('b2AQID'));
    expectProtocolError(() => decodeEio3Packet('b4!!'));
    expectProtocolError(() => decodeEio3Packet(Buffer.from([2, 1])));
    expectProtocolError(() => decodeEio3Packet(Buffer.alloc(0)));
  });

  it('refuses malformed text payloads', () => {
    for (const bad of ['', 'abc', '6:4hi', ':4', '1x:4', '2:4a3:', '1:4:', '99999999999999999:4']) {
      expectProtocolError(() => decodeEio3Payload(bad), ProtocolErrorCode.INVALID_PAYLOAD);
    }
    expectProtocolError(() => decodeEio3Payload('1:x'));
  });

  it('refuses malformed binary payloads', () => {
    for (const bad of [[], [2, 1, 255, 52], [0, 255, 52], [0, 5, 255, 52], [0, 1, 2], [0, 10, 255, 52], [0, ...new Array<number>(20).fill(1), 255]]) {
      expectProtocolError(() => decodeEio3BinaryPayload(Buffer.from(bad)), ProtocolErrorCode.INVALID_PAYLOAD);
    }
    expectProtocolError(() => decodeEio3BinaryPayload(Buffer.from([0, 1, 255, 57])));
  });
});
