import { describe, expect, it } from 'vitest';
import { ProtocolError, ProtocolErrorCode } from '../src/protocol/errors.js';
import { expectProtocolError } from '../src/protocol/expect-protocol-error.js';
import { encodeSocketPacket, RESERVED_EVENTS, type SocketPacket, SocketPacketDecoder } from '../src/protocol/socket-packet.js';
// The test kit's generator, from its source: that package depends on core, so core cannot depend on it.
import { seededRandom } from '../../testing/src/seeded-random.js';

const placeholder = (num: unknown): string => `{"_placeholder":true,"num":${JSON.stringify(num)}}`;
const P0 = placeholder(0);
const P1 = placeholder(1);

const expectInvalidPacket = (run: () => unknown): string => expectProtocolError(run);

/** [what is wrong, the text of the packet, a fragment of the message expected]. */
const malformed: Array<[string, string, RegExp]> = [
  ['an empty string', '', /empty packet/],
  ['type 7', '7["a"]', /unknown packet type "7"/],
  ['type 9', '9', /unknown packet type/],
  ['a letter for a type', 'a', /unknown packet type "a"/],
  ['a space first', ' 2["a"]', /unknown packet type/],
  ['a minus sign first', '-2["a"]', /unknown packet type/],
  ['JSON with no type', '["a"]', /unknown packet type/],
  ['a binary event with no attachment count', `5["a",${P0}]`, /without an attachment count/],
  ['a binary event with a "-" but no count', `5-["a",${P0}]`, /without an attachment count/],
  ['a non-numeric attachment count', `5x-["a",${P0}]`, /without an attachment count/],
  ['an attachment count without "-"', `51["a",${P0}]`, /no "-" after the attachment count/],
  ['an attachment count at the end', '51', /no "-" after/],
  ['an attachment count of 0', '50-["a"]', /no attachment/],
  ['an attachment count of 00', '500-["a"]', /no attachment/],
  ['an attachment count over the limit', `511-["a",${P0}]`, /over the limit of 10/],
  ['a huge attachment count', `5${'9'.repeat(400)}-["a"]`, /over the limit/],
  ['a binary ack with no attachment count', `6-1[${P0}]`, /without an attachment count/],
  ['letters after the type', '2abc["a"]', /unexpected "a" at offset 1/],
  ['letters after the ack id', '212abc["a"]', /unexpected "a" at offset 3/],
  ['a space before the JSON', '2 ["a"]', /unexpected " "/],
  ['an attachment count on an EVENT', '21-["a"]', /unexpected "-"/],
  ['a bare JSON literal', '2null', /unexpected "n"/],
  ['an ack id past Number.MAX_SAFE_INTEGER', '29007199254740992["a"]', /ack id over Number.MAX_SAFE_INTEGER/],
  ['a 17-digit ack id', '212345678901234567["a"]', /ack id over Number.MAX_SAFE_INTEGER/],
  ['truncated JSON', '2["a"', /not valid JSON/],
  ['trailing garbage after the JSON', '2["a"]]', /not valid JSON/],
  ['single-quoted JSON', "2['a']", /not valid JSON/],
  ['an unterminated string', '4"oops', /not valid JSON/],
  ['a namespace without a comma before the payload', '2/admin["a"]', /non-empty array/],
  ['a namespace followed by junk', '2/admin,abc', /unexpected "a"/],
  ['an EVENT without payload', '2', /non-empty array/],
  ['an EVENT with an empty array', '2[]', /non-empty array/],
  ['an EVENT with an object', '2{"a":1}', /non-empty array/],
  ['an EVENT with a string', '2"foo"', /non-empty array/],
  ['an EVENT named null', '2[null]', /string or a number/],
  ['an EVENT named by an array', '2[["a"]]', /string or a number/],
  ['an EVENT named true', '2[true]', /string or a number/],
  ['an EVENT named by an object', '2/admin,[{"a":1}]', /string or a number/],
  ['an ACK without an id', '3["a"]', /without an ack id/],
  ['an ACK with an object', '31{"a":1}', /must be an array/],
  ['an ACK without payload', '31', /must be an array/],
  ['an ACK with a string', '3/admin,1"x"', /must be an array/],
  ['a CONNECT with an array', '0[]', /must be an object/],
  ['a CONNECT with a string', '0"token"', /must be an object/],
  ['a CONNECT with an array after a namespace', '0/admin,[1]', /must be an object/],
  ['a CONNECT with an ack id', '012{}', /ack id on a packet of type 0/],
  ['a DISCONNECT with a payload', '1{}', /carries no payload/],
  ['a DISCONNECT with a string after a namespace', '1/admin,"x"', /carries no payload/],
  ['a DISCONNECT with an ack id', '17', /ack id on a packet of type 1/],
  ['a CONNECT_ERROR without payload', '4', /string or an object/],
  ['a CONNECT_ERROR with an array', '4[]', /string or an object/],
  ['a CONNECT_ERROR with only a namespace', '4/admin,', /string or an object/],
  ['a placeholder num out of range', `51-["a",${placeholder(1)}]`, /outside \[0, 1\)/],
  ['a negative placeholder num', `51-["a",${placeholder(-1)}]`, /outside/],
  ['a string placeholder num', `51-["a",${placeholder('0')}]`, /placeholder num "0"/],
  ['a fractional placeholder num', `51-["a",${placeholder(0.5)}]`, /outside/],
  ['a placeholder without num', '51-["a",{"_placeholder":true}]', /placeholder num undefined/],
  ['a placeholder with extra fields', '51-["a",{"_placeholder":true,"num":0,"x":1}]', /extra fields/],
  ['an attachment referenced twice', `52-["a",${P0},${P0}]`, /referenced twice/],
  ['fewer placeholders than attachments', `52-["a",${P1}]`, /2 attachments announced, 1 placeholders/],
  ['a binary event with no placeholder', '51-["a"]', /1 attachments announced, 0 placeholders/],
  ['a placeholder as the event name', `51-[${P0}]`, /string or a number/],
  ['a binary ACK without an id', `61-[${P0}]`, /without an ack id/],
  ['a binary ACK with an object', `61-1{"a":${P0}}`, /must be an array/],
];
for (const name of RESERVED_EVENTS) {
  malformed.push([`the reserved event ${name}`, `2${JSON.stringify([name, 1])}`, /reserved event name/]);
}
malformed.push(['a reserved event in a binary packet', `51-/x,["disconnect",${P0}]`, /reserved event name/]);

describe('Socket.IO packet decoding refuses malformed input', () => {
  it('has a long table', () => expect(malformed.length).toBeGreaterThanOrEqual(30));

  for (const [what, text, message] of malformed) {
    it(`refuses ${what}: ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`, () => {
      expect(expectInvalidPacket(() => new SocketPacketDecoder().add(text))).toMatch(message);
    });
  }

  it('refuses a binary message with no binary packet waiting', () => {
    const stray = expectInvalidPacket(() => new SocketPacketDecoder().add(Buffer.from([1])));
    expect(stray).toMatch(/without a binary packet/);
    const decoder = new SocketPacketDecoder();
    expect(decoder.add(`51-["a",${P0}]`)).toBeNull();
    expect(decoder.add(Buffer.from([1]))).not.toBeNull();
    expectInvalidPacket(() => decoder.add(Buffer.from([2])));
  });

  it('refuses text while attachments are still expected, then starts afresh', () => {
    const decoder = new SocketPacketDecoder();
    expect(decoder.add(`52-["a",${P0},${P1}]`)).toBeNull();
    expect(decoder.add(Buffer.from([1]))).toBeNull();
    expect(expectInvalidPacket(() => decoder.add('2["b"]'))).toMatch(/expected binary attachment 2 of 2, got text/);
    expectInvalidPacket(() => decoder.add(Buffer.from([2]))); // the half packet is gone
    expect(decoder.add('2["b"]')).toEqual({ type: 2, nsp: '/', data: ['b'] });
  });

  it('is reset after a malformed packet', () => {
    const decoder = new SocketPacketDecoder();
    expect(decoder.add(`51-["a",${P0}]`)).toBeNull();
    expectInvalidPacket(() => decoder.add(`51-["a",${P0}]`));
    expectInvalidPacket(() => decoder.add(Buffer.from([1])));
  });
});

/**
 * Feeds `text` (and attachments while asked for), checking it either decodes to a packet that round-trips or
 * throws a ProtocolError, and nothing else. Returns whether it decoded.
 */
function sweep(decoder: SocketPacketDecoder, text: string): boolean {
  let packet: SocketPacket | null;
  try {
    packet = decoder.add(text);
    for (let i = 0; packet === null && i < 10; i++) packet = decoder.add(Buffer.from([i]));
  } catch (err) {
    if (!(err instanceof ProtocolError) || err.code !== ProtocolErrorCode.INVALID_PACKET) {
      throw new Error(`${JSON.stringify(text)} threw ${String(err)}`);
    }
    return false;
  }
  if (packet === null) throw new Error(`${JSON.stringify(text)} still waits after 10 attachments`);
  if (packet.type < 0 || packet.type > 6 || !packet.nsp.startsWith('/')) {
    throw new Error(`${JSON.stringify(text)} decoded to ${JSON.stringify(packet)}`);
  }
  const again = new SocketPacketDecoder();
  let copy: SocketPacket | null = null;
  for (const message of encodeSocketPacket(packet)) copy = again.add(message);
  expect(copy, JSON.stringify(text)).toEqual(packet);
  return true;
}

describe('Socket.IO packet decoding sweep', () => {
  const alphabet = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '/', ',', '[', ']', '"', 'a', '{', '}'];

  it('decodes or throws ProtocolError for every string of up to 4 characters', () => {
    const decoder = new SocketPacketDecoder();
    let level = [''];
    let count = 0;
    let decoded = 0;
    for (let length = 1; length <= 4; length++) {
      const next: string[] = [];
      for (const prefix of level) {
        for (const c of alphabet) {
          next.push(prefix + c);
          if (sweep(decoder, prefix + c)) decoded++;
          count++;
        }
      }
      level = next;
    }
    expect(count).toBe(19 + 19 ** 2 + 19 ** 3 + 19 ** 4);
    expect(decoded).toBeGreaterThan(500);
  });

  it('decodes or throws ProtocolError for packet-shaped strings with random mutations', () => {
    const next = seededRandom(0x5eed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const payloads = ['', '[]', '{}', '"x"', '["a"]', '[1,"b"]', '["connect"]'];
    payloads.push(`["a",${P0}]`, `[${P0},{"k":${P1}}]`, `["a",${P1}]`);
    const decoder = new SocketPacketDecoder();
    let decoded = 0;
    for (let n = 0; n < 30_000; n++) {
      const type = pick(['0', '1', '2', '3', '4', '5', '6']);
      const count = type === '5' || type === '6' ? pick(['1-', '2-', '0-', '']) : '';
      const nsp = pick(['', '', '/admin,', '/a?b=c,', '/']);
      let text = type + count + nsp + pick(['', '', '7', '0123']) + pick(payloads);
      for (let m = Math.floor(next() * 3); m > 0; m--) {
        const at = Math.floor(next() * (text.length + 1));
        const edit = next();
        const c = edit < 0.67 ? pick(alphabet) : '';
        text = text.slice(0, at) + c + text.slice(edit < 0.33 ? at : at + 1);
      }
      if (sweep(decoder, text)) decoded++;
    }
    expect(decoded).toBeGreaterThan(2_500);
  });
});
