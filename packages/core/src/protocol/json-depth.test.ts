import { describe, expect, it } from 'vitest';
import { ProtocolError } from './errors.js';
import { checkFiniteNumbers, checkNestingDepth, checkValueDepth } from './json-depth.js';
import { decodeLegacyPacket } from './legacy-packet.js';
import { SocketPacketDecoder } from './socket-packet.js';

describe('checkNestingDepth', () => {
  it.each([
    ['[]', 1],
    ['[[1],{"a":[2]}]', 3],
    ['["[[[[", "\\"[[["]', 1],
    ['{"a":"\\\\"}', 1],
    // a quote after an odd run of backslashes is escaped, after an even run it closes the string
    ['["\\\\\\"[[", "\\\\", [[]]]', 3],
    ['["\\\\\\\\"]', 1],
    ['["unterminated [[[', 1],
    ['"no container"', 0],
  ])('%s nests %i deep', (text, depth) => {
    expect(() => checkNestingDepth(text, 0, depth)).not.toThrow();
    if (depth > 0) expect(() => checkNestingDepth(text, 0, depth - 1)).toThrow(ProtocolError);
  });

  it('stops at the first level too many of 100,000', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => checkNestingDepth(deep, 0, 64)).toThrow(/nested deeper than 64 levels/);
  });

  it('bounds decoded values without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = { a: [value] };
    expect(() => checkValueDepth(value, 64)).toThrow(ProtocolError);
    expect(() => checkValueDepth([Buffer.alloc(4), { a: [1] }], 3)).not.toThrow();
  });

  it('is applied by the Socket.IO and 0.9 decoders', () => {
    expect(() => new SocketPacketDecoder({ maxNestingDepth: 2 }).add('2["a",[[1]]]')).toThrow(ProtocolError);
    expect(new SocketPacketDecoder({ maxNestingDepth: 2 }).add('2["a",[1]]')).toMatchObject({ data: ['a', [1]] });
    expect(() => decodeLegacyPacket('5:::{"name":"a","args":[[1]]}', 2)).toThrow(ProtocolError);
    expect(decodeLegacyPacket('5:::{"name":"a","args":[1]}', 2)).toMatchObject({ name: 'a', args: [1] });
    expect(() => decodeLegacyPacket('4:::[[[1]]]', 2)).toThrow(ProtocolError);
    expect(() => decodeLegacyPacket('6:::1+[[[1]]]', 2)).toThrow(ProtocolError);
  });
});

describe('numbers JSON.parse overflows to ±Infinity', () => {
  it.each(['2["n",1e999]', '2["n",{"a":[-1E400]}]', `2["n",${'9'.repeat(400)}]`, '2["n",1.5e+309]'])('are refused by the Socket.IO decoder: %s', (text) => {
    expect(() => new SocketPacketDecoder().add(text)).toThrow(/out of range/);
  });

  it('are refused by the 0.9 decoder in events, acks and json packets', () => {
    expect(() => decodeLegacyPacket('5:::{"name":"n","args":[1e999]}')).toThrow(/out of range/);
    expect(() => decodeLegacyPacket('6:::1+[-1e999]')).toThrow(/out of range/);
    expect(() => decodeLegacyPacket('4:::{"a":1e400}')).toThrow(/out of range/);
  });

  it('pass when in range, in strings, or an exponent that stays finite', () => {
    expect(new SocketPacketDecoder().add('2["n",1e308,-2.5E-400,"1e999",{"1e999":0}]')).toMatchObject({ data: ['n', 1e308, -0, '1e999', { '1e999': 0 }] });
    expect(decodeLegacyPacket(`5:::{"name":"n","args":[${'9'.repeat(300)}]}`)).toMatchObject({ name: 'n' });
    expect(() => checkFiniteNumbers({ a: [1, 'x', null, { b: Number.NaN }] })).toThrow(ProtocolError);
  });
});
