import { describe, expect, it } from 'vitest';
import {
  decodeEio4Packet,
  decodeEio4Payload,
  encodeEio4Packet,
  encodeEio4Payload,
  encodeEio4PollingPacket,
} from './eio4.js';
import { EnginePacketType } from './engine-packet.js';
import { ProtocolError, ProtocolErrorCode } from './errors.js';
import { expectProtocolError } from './expect-protocol-error.js';


describe('Engine.IO v4 packet encoding', () => {
  it('writes the type digit then the data', () => {
    expect(encodeEio4Packet({ type: EnginePacketType.MESSAGE, data: 'hello' })).toBe('4hello');
    expect(encodeEio4Packet({ type: EnginePacketType.PING })).toBe('2');
    expect(encodeEio4Packet({ type: EnginePacketType.PONG, data: 'probe' })).toBe('3probe');
    expect(encodeEio4Packet({ type: EnginePacketType.OPEN, data: '{"sid":"x"}' })).toBe('0{"sid":"x"}');
  });

  it('keeps binary as raw bytes for websocket and base64 for polling', () => {
    const bytes = Buffer.from([1, 2, 3, 4]);
    expect(encodeEio4Packet({ type: EnginePacketType.MESSAGE, data: bytes })).toBe(bytes);
    expect(encodeEio4PollingPacket({ type: EnginePacketType.MESSAGE, data: bytes })).toBe('bAQIDBA==');
  });

  it('joins a payload with the record separator', () => {
    expect(
      encodeEio4Payload([
        { type: EnginePacketType.MESSAGE, data: 'hello' },
        { type: EnginePacketType.MESSAGE, data: Buffer.from([1, 2, 3, 4]) },
        { type: EnginePacketType.PING },
      ]),
    ).toBe('4hello\x1ebAQIDBA==\x1e2');
    expect(encodeEio4Payload([{ type: EnginePacketType.NOOP }])).toBe('6');
  });

  it('carries unicode untouched', () => {
    const text = 'héllo €😀 \u2028';
    expect(encodeEio4Payload([{ type: EnginePacketType.MESSAGE, data: text }])).toBe('4' + text);
    expect(decodeEio4Payload('4' + text)).toEqual([{ type: EnginePacketType.MESSAGE, data: text }]);
  });
});

describe('Engine.IO v4 packet decoding', () => {
  it('reads every packet type', () => {
    expect(decodeEio4Packet('0{}')).toEqual({ type: 0, data: '{}' });
    expect(decodeEio4Packet('1')).toEqual({ type: 1 });
    expect(decodeEio4Packet('2probe')).toEqual({ type: 2, data: 'probe' });
    expect(decodeEio4Packet('3')).toEqual({ type: 3 });
    expect(decodeEio4Packet('4hi')).toEqual({ type: 4, data: 'hi' });
    expect(decodeEio4Packet('5')).toEqual({ type: 5 });
    expect(decodeEio4Packet('6')).toEqual({ type: 6 });
  });

  it('reads an empty message as an empty string', () => {
    expect(decodeEio4Packet('4')).toEqual({ type: EnginePacketType.MESSAGE, data: '' });
  });

  it('reads a binary frame as a binary message', () => {
    const bytes = Buffer.from([0, 255, 7]);
    const packet = decodeEio4Packet(bytes);
    expect(packet.type).toBe(EnginePacketType.MESSAGE);
    expect(packet.data).toBe(bytes);
  });

  it('reads base64 records as binary messages', () => {
    const packet = decodeEio4Packet('bAQIDBA==');
    expect(packet.type).toBe(EnginePacketType.MESSAGE);
    expect(Buffer.isBuffer(packet.data)).toBe(true);
    expect([...(packet.data as Buffer)]).toEqual([1, 2, 3, 4]);
    expect((decodeEio4Packet('b').data as Buffer).length).toBe(0);
  });

  it('splits a payload on the record separator', () => {
    const packets = decodeEio4Payload('4test1\x1e4test2\x1ebAQIDBA==\x1e3');
    expect(packets.map((p) => p.type)).toEqual([4, 4, 4, 3]);
    expect(packets[0]!.data).toBe('test1');
    expect(packets[1]!.data).toBe('test2');
    expect([...(packets[2]!.data as Buffer)]).toEqual([1, 2, 3, 4]);
  });

  it('round-trips what it encodes', () => {
    const packets = [
      { type: EnginePacketType.MESSAGE, data: 'a\x1fb' },
      { type: EnginePacketType.MESSAGE, data: Buffer.from('binary \u00e9', 'utf8') },
      { type: EnginePacketType.PONG },
      { type: EnginePacketType.MESSAGE, data: '' },
    ] as const;
    const decoded = decodeEio4Payload(encodeEio4Payload(packets));
    expect(decoded[0]).toEqual(packets[0]);
    expect((decoded[1]!.data as Buffer).equals(packets[1].data)).toBe(true);
    expect(decoded[2]).toEqual(packets[2]);
    expect(decoded[3]).toEqual(packets[3]);
  });
});

describe('Engine.IO v4 malformed input', () => {
  const badPackets: Array<[string, string]> = [
    ['empty string', ''],
    ['letters', 'abc'],
    ['type digit out of range', '7'],
    ['type 9', '9hello'],
    ['a space first', ' 4hello'],
    ['a minus sign', '-1'],
    ['the record separator alone', '\x1e'],
    ['a NUL byte', '\u0000'],
    ['JSON', '{"type":4}'],
    ['data on a close packet', '1x'],
    ['data on an upgrade packet', '5probe'],
    ['data on a noop packet', '6 '],
    ['base64 with bad characters', 'b!!!!'],
    ['base64 with a bad length', 'bAQI'],
    ['base64 with inner padding', 'bAQ==IDBA'],
    ['base64url alphabet', 'b-_-_'],
    ['base64 with whitespace', 'bAQID BA=='],
  ];
  for (const [name, input] of badPackets) {
    it(`refuses ${name}`, () => expectProtocolError(() => decodeEio4Packet(input)));
  }

  it('refuses an empty payload', () => {
    expectProtocolError(() => decodeEio4Payload(''), ProtocolErrorCode.INVALID_PAYLOAD);
  });

  const badPayloads: Array<[string, string]> = [
    ['a trailing separator', '4hello\x1e'],
    ['a leading separator', '\x1e4hello'],
    ['two separators in a row', '4a\x1e\x1e4b'],
    ['one bad record among good ones', '4a\x1ex\x1e4b'],
    ['bad base64 among good records', '4a\x1eb***'],
    ['the v3 length framing', '6:4hello'],
  ];
  for (const [name, input] of badPayloads) {
    it(`refuses a payload with ${name}`, () => expectProtocolError(() => decodeEio4Payload(input)));
  }

  it('throws nothing but ProtocolError on arbitrary input', () => {
    // A deterministic sweep over short strings made of the characters that matter to the framing.
    const alphabet = ['0', '1', '4', '6', '7', 'b', 'A', '=', '\x1e', ':', '\u00e9', '\ud83d'];
    let checked = 0;
    const visit = (prefix: string, depth: number): void => {
      if (depth === 0) return;
      for (const ch of alphabet) {
        const input = prefix + ch;
        try {
          decodeEio4Payload(input);
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError);
        }
        checked++;
        visit(input, depth - 1);
      }
    };
    visit('', 4);
    expect(checked).toBeGreaterThan(20_000);
  });
});
