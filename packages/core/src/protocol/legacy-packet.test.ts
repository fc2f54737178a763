import { describe, expect, it } from 'vitest';
import { ProtocolErrorCode } from './errors.js';
import { expectProtocolError } from './expect-protocol-error.js';
import * as protocol from './index.js';
import { decodeLegacyPacket, decodeLegacyPayload, encodeLegacyPacket, encodeLegacyPayload, type LegacyPacket, LegacyPacketType } from './legacy-packet.js';

const { DISCONNECT, CONNECT, HEARTBEAT, MESSAGE, JSON: JSON_, EVENT, ACK, ERROR, NOOP } = LegacyPacketType;

/** Each case both ways: the packet encodes to exactly the text, and the text decodes to the packet. */
const BOTH_WAYS: Array<[string, LegacyPacket]> = [
  ['0::/woot', { type: DISCONNECT, endpoint: '/woot' }],
  ['0::', { type: DISCONNECT, endpoint: '' }],
  ['1::/tobi', { type: CONNECT, endpoint: '/tobi', query: '' }],
  ['1::/test:?test=1', { type: CONNECT, endpoint: '/test', query: '?test=1' }],
  ['2::', { type: HEARTBEAT, endpoint: '' }],
  ['3:::woot', { type: MESSAGE, endpoint: '', data: 'woot' }],
  ['3:5:/tobi', { type: MESSAGE, endpoint: '/tobi', id: 5, ackData: false, data: '' }],
  ['3:::line one\nline two', { type: MESSAGE, endpoint: '', data: 'line one\nline two' }],
  ['3:::a:b:c', { type: MESSAGE, endpoint: '', data: 'a:b:c' }],
  ['4:::"2"', { type: JSON_, endpoint: '', data: '2' }],
  ['4:1+::{"a":"b"}', { type: JSON_, endpoint: '', id: 1, ackData: true, data: { a: 'b' } }],
  ['5:::{"name":"woot"}', { type: EVENT, endpoint: '', name: 'woot', args: [] }],
  ['5:1+::{"name":"tobi"}', { type: EVENT, endpoint: '', id: 1, ackData: true, name: 'tobi', args: [] }],
  ['5:1::{"name":"tobi"}', { type: EVENT, endpoint: '', id: 1, ackData: false, name: 'tobi', args: [] }],
  ['5:::{"name":"edwald","args":[{"a":"b"},2,"3"]}', { type: EVENT, endpoint: '', name: 'edwald', args: [{ a: 'b' }, 2, '3'] }],
  ['5:7+:/chat:{"name":"say","args":["hi"]}', { type: EVENT, endpoint: '/chat', id: 7, ackData: true, name: 'say', args: ['hi'] }],
  ['6:::140', { type: ACK, endpoint: '', ackId: 140 }],
  ['6:::12+["woot","wa"]', { type: ACK, endpoint: '', ackId: 12, args: ['woot', 'wa'] }],
  ['6::/chat:12+["woot","wa"]', { type: ACK, endpoint: '/chat', ackId: 12, args: ['woot', 'wa'] }],
  ['6:::4+["a+b","1+1=2"]', { type: ACK, endpoint: '', ackId: 4, args: ['a+b', '1+1=2'] }],
  ['7:::0', { type: ERROR, endpoint: '', reason: '0' }],
  ['7:::2+0', { type: ERROR, endpoint: '', reason: '2', advice: '0' }],
  ['7::/chat:2', { type: ERROR, endpoint: '/chat', reason: '2' }],
  ['8::', { type: NOOP, endpoint: '' }],
];

describe('0.9 packets', () => {
  it.each(BOTH_WAYS)('%j both ways', (text, packet) => {
    expect(encodeLegacyPacket(packet)).toBe(text);
    expect(decodeLegacyPacket(text)).toEqual(packet);
  });

  it('reads the forms other encoders write', () => {
    expect(decodeLegacyPacket('2:::')).toEqual({ type: HEARTBEAT, endpoint: '' });
    expect(decodeLegacyPacket('7:::')).toEqual({ type: ERROR, endpoint: '', reason: '' });
    expect(decodeLegacyPacket('7::/woot')).toEqual({ type: ERROR, endpoint: '/woot', reason: '' });
    expect(decodeLegacyPacket('5:::{"name":"woot", "args": ["foo"]}')).toEqual({ type: EVENT, endpoint: '', name: 'woot', args: ['foo'] });
    expect(decodeLegacyPacket('6::/chat:140+["bob", "bob2"]')).toEqual({ type: ACK, endpoint: '/chat', ackId: 140, args: ['bob', 'bob2'] });
    expect(decodeLegacyPacket('3:::\n')).toEqual({ type: MESSAGE, endpoint: '', data: '\n' });
  });

  it('splits error data on the first + only', () => {
    // Found by fuzzing: '7:20::+' decoded with advice '' and re-encoded without it.
    expect(decodeLegacyPacket('7:20::+')).toEqual({ type: ERROR, endpoint: '', id: 20, ackData: false, reason: '' });
    expect(decodeLegacyPacket('7:::1+')).toEqual({ type: ERROR, endpoint: '', reason: '1' });
    expect(decodeLegacyPacket('7::/x:a+b+c')).toEqual({ type: ERROR, endpoint: '/x', reason: 'a', advice: 'b+c' });
  });

  it('writes an event with no args without an args key, and JSON with every value', () => {
    expect(encodeLegacyPacket({ type: EVENT, endpoint: '/chat', name: 'ping', args: [] })).toBe('5::/chat:{"name":"ping"}');
    expect(encodeLegacyPacket({ type: JSON_, endpoint: '', data: undefined })).toBe('4:::null');
    expect(encodeLegacyPacket({ type: ERROR, endpoint: '', reason: '' })).toBe('7::');
  });

  it.each([
    ['99::', /unknown 0\.9 packet type "99"/],
    ['9::', /unknown 0\.9 packet type "9"/],
    ['x::', /unknown/],
    ['', /at least/],
    ['3:', /at least/],
    ['5:::{"args":[]}', /string name/],
    ['5:::', /not JSON/],
    ['5:::[1]', /string name/],
    ['5:::{"name":"x","args":{}}', /array/],
    ['4:::{bad', /not JSON/],
    ['6:::', /numeric ack id/],
    ['6:::x+[]', /numeric ack id/],
    ['6:::1+{}', /array/],
    ['6:::1+[', /not JSON/],
    ['3:a:', /message id/],
    ['3:1234567890123456::x', /message id/],
  ])('refuses %j with a ProtocolError', (text, message) => {
    expect(expectProtocolError(() => decodeLegacyPacket(text))).toMatch(message);
  });
});

describe('0.9 payloads', () => {
  it('sends one packet unframed and several framed, lengths in UTF-16 code units', () => {
    expect(encodeLegacyPayload(['2::'])).toBe('2::');
    // Found by fuzzing: '\ufffd1\ufffd\ufffd' decoded to ['\ufffd'], which went back unframed as '\ufffd' and no longer decoded.
    expect(encodeLegacyPayload(['\ufffd'])).toBe('\ufffd1\ufffd\ufffd');
    expect(decodeLegacyPayload(encodeLegacyPayload(decodeLegacyPayload('\ufffd4\ufffd\ufffd4:2')))).toEqual(['\ufffd4:2']);
    expect(encodeLegacyPayload(['3:::hi', '3:::héllo😀'])).toBe('\ufffd6\ufffd3:::hi\ufffd11\ufffd3:::héllo😀');
  });

  it('reads framed and unframed bodies', () => {
    expect(decodeLegacyPayload('5:::{"name":"a"}')).toEqual(['5:::{"name":"a"}']);
    expect(decodeLegacyPayload('\ufffd5\ufffd3:::a\ufffd11\ufffd3:::héllo😀')).toEqual(['3:::a', '3:::héllo😀']);
    expect(decodeLegacyPayload('\ufffd4\ufffd3:::\ufffd3\ufffd2::')).toEqual(['3:::', '2::']);
  });

  it.each(['\ufffd', '\ufffd5', '\ufffdx\ufffd3:::', '\ufffd9\ufffd3:::a', '\ufffd2\ufffd2::extra'])('refuses bad framing %j', (body) => {
    expectProtocolError(() => decodeLegacyPayload(body), ProtocolErrorCode.INVALID_PAYLOAD);
  });

  it('is exported from the protocol entry point', () => {
    expect(protocol.decodeLegacyPacket).toBe(decodeLegacyPacket);
    expect(protocol.LegacyPacketType.EVENT).toBe(5);
  });
});
