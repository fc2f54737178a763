import { describe, expect, it } from 'vitest';
import { EnginePacketType } from '../protocol/engine-packet.js';
import { ProtocolErrorCode } from '../protocol/errors.js';
import { expectProtocolError } from '../protocol/expect-protocol-error.js';
import { eio3PollingFormat } from './eio3-polling-format.js';
import { PreparedMessage } from './prepared-message.js';
import { scriptString } from './script-string.js';

const hello = { type: EnginePacketType.MESSAGE, data: 'hello' } as const;
const bytes = new PreparedMessage(Buffer.from([1, 2]));

describe('Engine.IO v3 polling formats', () => {
  it('picks JSONP for a numeric j, text for b64, binary payloads otherwise', () => {
    expect(eio3PollingFormat({ j: '12' })?.encode([hello]).contentType).toBe('text/javascript; charset=UTF-8');
    expect(eio3PollingFormat({ b64: '1' })?.encode([bytes])).toEqual({ body: '6:b4AQI=', contentType: 'text/plain; charset=UTF-8' });
    expect(eio3PollingFormat({})?.encode([bytes])).toEqual({ body: Buffer.from([1, 3, 255, 4, 1, 2]), contentType: 'application/octet-stream' });
    for (const j of ['', 'a', '1a', '-1', '1e3', '1234567890']) expect(eio3PollingFormat({ j })).toBeUndefined();
  });

  it('keeps a binary-capable client on text while nothing binary is queued', () => {
    expect(eio3PollingFormat({})?.encode([hello, { type: EnginePacketType.NOOP }])).toEqual({ body: '6:4hello1:6', contentType: 'text/plain; charset=UTF-8' });
  });

  it('writes JSONP answers as a call with a script-safe string', () => {
    const { body } = eio3PollingFormat({ j: '4' })!.encode([{ type: EnginePacketType.MESSAGE, data: '"\\</script>\u2028\u2029' }]);
    expect(body).toBe('___eio[4]("14:4\\"\\\\\\u003c/script\\u003e\\u2028\\u2029");');
    expect(scriptString('<!-- & -->')).toBe('"\\u003c!-- \\u0026 --\\u003e"');
  });

  it('reads JSONP posts: the d field, with the escaped newlines restored', () => {
    const jsonp = eio3PollingFormat({ j: '0' })!;
    // "a<newline>b" and a literal backslash-n, as engine.io-client 3 escapes them.
    const d = encodeURIComponent('7:4a\\nb \\\\n');
    expect(jsonp.decode(Buffer.from(`d=${d}`), false)).toEqual([{ type: EnginePacketType.MESSAGE, data: 'a\nb \\n' }]);
    expectProtocolError(() => jsonp.decode(Buffer.from('e=1'), false), ProtocolErrorCode.INVALID_PAYLOAD);
  });

  it('reads text and binary posts alike', () => {
    const format = eio3PollingFormat({})!;
    expect(format.binaryBodies).toBe(true);
    expect(format.decode(Buffer.from('6:4hello'), false)).toEqual([hello]);
    expect(format.decode(Buffer.from([0, 6, 255, ...Buffer.from('4hello')]), true)).toEqual([hello]);
  });
});
