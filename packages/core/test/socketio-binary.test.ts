// Binary data (Buffer, Uint8Array, ArrayBuffer), nested anywhere in the arguments, both ways, in events
// and in acknowledgements, over polling (base64) and websocket (binary frames).
import { describe, expect, it } from 'vitest';
import { ALL_TRANSPORTS, once, useSio } from './sio-helpers.js';

const sio = useSio();

/** The bytes of any binary value, to compare whatever type the receiving side got. */
function bytes(value: unknown): number[] {
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (ArrayBuffer.isView(value)) return [...new Uint8Array(value.buffer, value.byteOffset, value.byteLength)];
  throw new TypeError(`not binary: ${Object.prototype.toString.call(value)}`);
}

/** A payload with binary of every kind, at several depths, among plain values. */
function payload() {
  const big = Buffer.alloc(200_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 256;
  return {
    label: 'mixed',
    buffer: Buffer.from([1, 2, 3]),
    nested: {
      u8: new Uint8Array([250, 251, 252, 253]),
      ab: new Uint8Array([7, 8, 9]).buffer,
      list: [Buffer.from('text as bytes'), 'a string', 42, null, { deeper: new Uint8Array([0, 255]) }],
    },
    empty: Buffer.alloc(0),
    big,
  };
}

/** Checks that `got` carries the bytes of `payload()` with the plain values untouched. */
function expectPayload(got: unknown): void {
  const want = payload();
  const value = got as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(value.label).toBe('mixed');
  expect(bytes(value.buffer)).toEqual([1, 2, 3]);
  expect(bytes(value.nested.u8)).toEqual([250, 251, 252, 253]);
  expect(bytes(value.nested.ab)).toEqual([7, 8, 9]);
  expect(Buffer.from(bytes(value.nested.list[0])).toString()).toBe('text as bytes');
  expect(value.nested.list.slice(1, 4)).toEqual(['a string', 42, null]);
  expect(bytes(value.nested.list[4].deeper)).toEqual([0, 255]);
  expect(bytes(value.empty)).toEqual([]);
  expect(Buffer.from(bytes(value.big)).equals(want.big)).toBe(true);
}

describe.each(ALL_TRANSPORTS)('binary over $name', ({ options, final }) => {
  it('client → server: binary nested in an event arrives as Buffers, byte for byte', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const received = once<[unknown, number]>(socket, 'upload');
    client.emit('upload', payload(), 7);
    const [got, after] = await received;
    expectPayload(got);
    expect(Buffer.isBuffer((got as { buffer: unknown }).buffer)).toBe(true);
    expect(after).toBe(7);
  });

  it('server → client: binary nested in an event arrives byte for byte', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    const received = once<[string, unknown]>(client, 'download');
    socket.emit('download', 'first', payload());
    const [first, got] = await received;
    expect(first).toBe('first');
    expectPayload(got);
  });

  it('binary in acknowledgements, both ways', async () => {
    const h = await sio.start();
    const [client, socket] = await h.pair('/', options, final);
    socket.on('give', (ack: (v: unknown) => void) => ack(payload()));
    expectPayload(await client.emitWithAck('give'));
    client.on('take', (ack: (v: unknown) => void) => ack({ back: new Uint8Array([5, 6]), more: payload() }));
    const answer = (await socket.timeout(5000).emitWithAck('take')) as { back: unknown; more: unknown };
    expect(bytes(answer.back)).toEqual([5, 6]);
    expect(Buffer.isBuffer(answer.back)).toBe(true);
    expectPayload(answer.more);
  });

  it('a binary broadcast reaches every client, and an echo returns what was sent', async () => {
    const h = await sio.start();
    h.io.on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
    const a = await h.connect('/', options, final);
    const b = await h.connect('/', options, final);
    const both = Promise.all([once<[unknown]>(a, 'blob'), once<[unknown]>(b, 'blob')]);
    h.io.emit('blob', { data: Buffer.from([9, 9, 9]) });
    for (const [got] of await both) expect(bytes((got as { data: unknown }).data)).toEqual([9, 9, 9]);
    expectPayload(await a.emitWithAck('echo', payload()));
  });

  it('as many attachments as maxAttachments allows are fine', async () => {
    const h = await sio.start({ maxAttachments: 10 });
    const [client, socket] = await h.pair('/', options, final);
    const received = once<unknown[]>(socket, 'ten');
    client.emit('ten', ...Array.from({ length: 10 }, (_, i) => Buffer.from([i])));
    expect((await received).map(bytes)).toEqual(Array.from({ length: 10 }, (_, i) => [i]));
    expect(socket.connected).toBe(true);
  });
});
