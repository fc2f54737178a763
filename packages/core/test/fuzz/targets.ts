// Every decoder of the wire, each with the inputs to throw at it and the round trip its output must survive.
import fc from 'fast-check';
import { stringify as formBody } from 'node:querystring';
import {
  checkSocketPacket,
  decodeEio3BinaryPayload,
  decodeEio3Packet,
  decodeEio3Payload,
  decodeEio4Packet,
  decodeEio4Payload,
  decodeLegacyPacket,
  decodeLegacyPayload,
  encodeEio3BinaryPayload,
  encodeEio3Packet,
  encodeEio3Payload,
  encodeEio3TextPacket,
  encodeEio4Packet,
  encodeEio4PollingPacket,
  encodeEio4Payload,
  encodeLegacyPacket,
  encodeLegacyPayload,
  encodeSocketPacket,
  type EnginePacket,
  hasBinary,
  type LegacyPacket,
  ProtocolError,
  ProtocolErrorCode,
  type SocketPacket,
  SocketPacketDecoder,
  SocketPacketType,
} from '../../src/protocol/index.js';
import { eio3PollingFormat } from '../../src/engine/eio3-polling-format.js';
import { anyBytes, anyString, mutatedBytes, mutatedString } from './mutate.js';

/** What one input did: decoded (and survived its round trip) or was refused with a ProtocolError. */
export type Outcome = 'decoded' | 'refused';

export interface FuzzTarget<T> {
  name: string;
  input: fc.Arbitrary<T>;
  /** Decodes `input`, checks the round trip; throws anything but a ProtocolError on failure. */
  run(input: T): Outcome;
}

const PROTOCOL_CODES: ReadonlySet<string> = new Set(Object.values(ProtocolErrorCode));

/** Runs `decode`: a ProtocolError with a known code is a refusal, any other throw propagates as a failure. */
function attempt<R>(decode: () => R): { value: R } | undefined {
  try {
    return { value: decode() };
  } catch (err) {
    if (err instanceof ProtocolError && err.constructor === ProtocolError && PROTOCOL_CODES.has(err.code)) return undefined;
    throw err;
  }
}

/** Structural equality of decoded values: Buffers by bytes, objects by own keys (a `__proto__` key included), `0` and `-0` alike. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  const ra = a as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(ra[k], rb[k]));
}

function roundTrip<T>(what: string, decoded: T, again: T): void {
  if (!same(decoded, again)) {
    throw new Error(`${what}: round trip changed the value\n  decoded: ${show(decoded)}\n  after re-encoding: ${show(again)}`);
  }
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' ? `<Buffer ${Buffer.from((v as { data: number[] }).data).toString('hex')}>` : v));
}

/**
 * Whether a decoded value can come back the same: not an empty list (a payload of empty records, which no
 * encoder writes), and no number JSON.parse overflowed to ±Infinity (`1e999`), which JSON writes as null.
 */
function reencodable(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'number' && !Number.isFinite(node)) return false;
    if (typeof node === 'object' && node !== null && !Buffer.isBuffer(node)) stack.push(...Object.values(node));
  }
  return true;
}

/** A decoder run over its input, its round trip checked when it decodes. */
function target<T, R>(name: string, input: fc.Arbitrary<T>, decode: (input: T) => R, reencode: (value: R) => R): FuzzTarget<T> {
  return {
    name,
    input,
    run(value) {
      const result = attempt(() => decode(value));
      if (result === undefined) return 'refused';
      if (reencodable(result.value)) roundTrip(name, result.value, reencode(result.value));
      return 'decoded';
    },
  };
}

// ---- valid values ----

const buffer = fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a));
const text = fc.oneof(fc.string({ maxLength: 24 }), fc.json({ maxDepth: 2 }));

const enginePacket: fc.Arbitrary<EnginePacket> = fc.oneof(
  fc.record({ type: fc.constantFrom(0, 2, 3, 4) as fc.Arbitrary<EnginePacket['type']>, data: text }),
  fc.record({ type: fc.constantFrom(0, 1, 2, 3, 5, 6) as fc.Arbitrary<EnginePacket['type']> }),
  fc.record({ type: fc.constant(4 as const), data: buffer }),
);
const enginePackets = fc.array(enginePacket, { minLength: 1, maxLength: 4 });

const jsonArg = fc.oneof(fc.jsonValue({ maxDepth: 2 }), buffer, fc.array(buffer, { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 4 }), buffer, { maxKeys: 2 }));
const nsp = fc.oneof(fc.constant('/'), fc.string({ maxLength: 8 }).map((s) => '/' + s.replace(/,/g, '')));
const ackId = fc.option(fc.nat(), { nil: undefined });

const socketPacket: fc.Arbitrary<SocketPacket> = fc.oneof(
  fc.record({ type: fc.constant(SocketPacketType.CONNECT), nsp, data: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), { nil: undefined }) }),
  fc.record({ type: fc.constant(SocketPacketType.DISCONNECT), nsp }),
  fc.record({ type: fc.constant(SocketPacketType.CONNECT_ERROR), nsp, data: fc.oneof(fc.string(), fc.record({ message: fc.string() })) }),
  fc.record({ type: fc.constant(SocketPacketType.EVENT), nsp, id: ackId, data: fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.nat()), fc.array(jsonArg, { maxLength: 3 })).map(([n, args]) => [n, ...args]) }),
  fc.record({ type: fc.constant(SocketPacketType.ACK), nsp, id: fc.nat(), data: fc.array(jsonArg, { maxLength: 3 }) }),
);

const legacyCommon = fc.record({ endpoint: fc.oneof(fc.constant(''), fc.string({ maxLength: 8 }).map((s) => '/' + s.replace(/:/g, ''))), id: ackId, ackData: fc.boolean() });
const legacyPacket: fc.Arbitrary<LegacyPacket> = fc
  .tuple(
    legacyCommon,
    fc.oneof(
      fc.record({ type: fc.constantFrom(0, 2, 8) }),
      fc.record({ type: fc.constant(1), query: fc.string({ maxLength: 8 }) }),
      fc.record({ type: fc.constant(3), data: fc.string({ maxLength: 16 }) }),
      fc.record({ type: fc.constant(4), data: fc.jsonValue({ maxDepth: 2 }) }),
      fc.record({ type: fc.constant(5), name: fc.string({ maxLength: 8 }), args: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }),
      fc.record({ type: fc.constant(6), ackId: fc.nat(), args: fc.option(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), { nil: undefined }) }),
      fc.record({ type: fc.constant(7), reason: fc.constantFrom('', '0', '1', '2'), advice: fc.option(fc.constantFrom('0', ''), { nil: undefined }) }),
    ),
  )
  .map(([common, rest]) => ({ ...common, ...rest }) as LegacyPacket);

/** Half arbitrary input, half mutated valid encodings. */
function strings(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(anyString, mutatedString(valid), valid);
}
function bytes(valid: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  return fc.oneof(anyBytes, mutatedBytes(valid), valid);
}

// ---- the JSONP `d=` form body of Engine.IO v3 ----

const jsonp = eio3PollingFormat({ j: '0' })!;

/** What the 0.9–2.x client does before putting a payload in the form field `d`. */
function escapeNewlines(payload: string): string {
  return payload.replace(/\\n/g, '\\\n').replace(/\n/g, '\\n');
}

function jsonpBody(packets: readonly EnginePacket[]): Buffer {
  return Buffer.from(formBody({ d: escapeNewlines(encodeEio3Payload(packets)) }));
}

function decodeJsonp(body: Buffer): EnginePacket[] {
  return jsonp.decode(body, false);
}

// ---- Socket.IO: a decoder fed a sequence of Engine.IO messages ----

type Message = string | Buffer;

/** Decodes what our encoder wrote, with room for as many attachments as checkSocketPacket lets through. */
function decodeMessages(messages: readonly Message[]): SocketPacket[] {
  const decoder = new SocketPacketDecoder({ maxAttachments: 1_000 });
  const packets: SocketPacket[] = [];
  for (const message of messages) {
    const packet = decoder.add(message);
    if (packet !== null) packets.push(packet);
  }
  return packets;
}

/** A message sequence through one decoder: refused when any message was; every packet decoded on the way re-encodes the same. */
const socketTarget: FuzzTarget<Message[]> = {
  name: 'socket.io packet + attachments',
  input: undefined as unknown as fc.Arbitrary<Message[]>, // set below, once the arbitrary exists
  run(messages) {
    const decoder = new SocketPacketDecoder();
    let outcome: Outcome = 'decoded';
    for (const message of messages) {
      const result = attempt(() => decoder.add(message));
      if (result === undefined) outcome = 'refused';
      else if (result.value !== null && reencodable(result.value)) roundTrip(socketTarget.name, [result.value], decodeMessages(encodeSocketPacket(result.value)));
    }
    return outcome;
  },
};

const validMessages = socketPacket.map((p) => encodeSocketPacket(p) as Message[]);
const socketMessages: fc.Arbitrary<Message[]> = fc.oneof(
  fc.array(fc.oneof(anyString, anyBytes), { minLength: 1, maxLength: 4 }),
  validMessages,
  fc
    .tuple(validMessages, mutatedString(validMessages.map((m) => m[0] as string)), fc.nat(), fc.boolean())
    .map(([messages, text, cut, extra]) => {
      const out: Message[] = [text, ...messages.slice(1, 1 + (cut % messages.length))];
      if (extra) out.push(...messages);
      return out;
    }),
);

/** A peer's packet after another parser: any value, or one shaped like a packet with odd fields. */
const foreignPacket: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  socketPacket,
  fc.record(
    {
      type: fc.oneof(fc.integer({ min: -1, max: 8 }), fc.double(), fc.anything()),
      nsp: fc.oneof(nsp, fc.anything()),
      id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.anything()),
      data: fc.oneof(fc.array(jsonArg), fc.anything()),
    },
    { requiredKeys: ['type', 'nsp'] },
  ),
);

/** The wire type our encoder picks: EVENT/ACK become BINARY_* exactly when the data holds binary. */
function wireType(packet: SocketPacket): SocketPacketType {
  const { type, data } = packet;
  if (type === SocketPacketType.EVENT || type === SocketPacketType.BINARY_EVENT) return hasBinary(data) ? SocketPacketType.BINARY_EVENT : SocketPacketType.EVENT;
  if (type === SocketPacketType.ACK || type === SocketPacketType.BINARY_ACK) return hasBinary(data) ? SocketPacketType.BINARY_ACK : SocketPacketType.ACK;
  return type;
}

/** Whether our encoder can send it as it is: a `/`-led namespace, JSON-only data outside EVENT/ACK. */
function encodable(packet: SocketPacket): boolean {
  if (packet.nsp !== '/' && !packet.nsp.startsWith('/')) return false;
  const binaryAllowed = packet.type === SocketPacketType.EVENT || packet.type === SocketPacketType.ACK || packet.type >= SocketPacketType.BINARY_EVENT;
  return binaryAllowed || !hasBinary(packet.data);
}

function jsonOnly(value: unknown): boolean {
  try {
    return same(JSON.parse(JSON.stringify(value) ?? 'null'), value) || Buffer.isBuffer(value);
  } catch {
    return false;
  }
}

const checkTarget: FuzzTarget<unknown> = {
  name: 'socket.io packet check (checkSocketPacket)',
  input: foreignPacket,
  run(value) {
    const result = attempt(() => checkSocketPacket(value));
    if (result === undefined) return 'refused';
    const packet = result.value;
    const args = Array.isArray(packet.data) ? packet.data : [packet.data];
    if (encodable(packet) && reencodable(packet) && args.every((a) => hasBinary(a) || jsonOnly(a))) {
      const [again] = decodeMessages(encodeSocketPacket(packet));
      roundTrip('checkSocketPacket', { ...packet, type: wireType(packet) }, again);
    }
    return 'decoded';
  },
};

export const targets: readonly FuzzTarget<unknown>[] = [
  target('engine.io v4 packet', strings(enginePacket.map(encodeEio4PollingPacket)), decodeEio4Packet, (p) => decodeEio4Packet(encodeEio4PollingPacket(p))),
  target('engine.io v4 binary frame', bytes(buffer), decodeEio4Packet, (p) => decodeEio4Packet(encodeEio4Packet(p))),
  target('engine.io v4 payload', strings(enginePackets.map(encodeEio4Payload)), decodeEio4Payload, (ps) => decodeEio4Payload(encodeEio4Payload(ps))),
  target('engine.io v3 packet', fc.oneof(strings(enginePacket.map(encodeEio3TextPacket)), bytes(enginePacket.map((p) => Buffer.from(encodeEio3Packet(p))))), decodeEio3Packet, (p) => decodeEio3Packet(encodeEio3Packet(p))),
  target('engine.io v3 text payload', strings(enginePackets.map(encodeEio3Payload)), decodeEio3Payload, (ps) => decodeEio3Payload(encodeEio3Payload(ps))),
  target('engine.io v3 binary payload', bytes(enginePackets.map(encodeEio3BinaryPayload)), decodeEio3BinaryPayload, (ps) => decodeEio3BinaryPayload(encodeEio3BinaryPayload(ps))),
  target('engine.io v3 JSONP form body (d=)', fc.oneof(bytes(enginePackets.map(jsonpBody)), strings(enginePackets.map((ps) => 'd=' + escapeNewlines(encodeEio3Payload(ps)))).map((s) => Buffer.from(s))), decodeJsonp, (ps) => {
    // The client's escaping cannot carry a backslash before a newline (it reads back as an escaped `\n`):
    // such data round-trips through the Engine.IO payload only.
    const payload = encodeEio3Payload(ps);
    return payload.includes('\\\n') ? decodeEio3Payload(payload) : decodeJsonp(jsonpBody(ps));
  }),
  { ...socketTarget, input: socketMessages },
  checkTarget,
  target('socket.io 0.9 packet', strings(legacyPacket.map(encodeLegacyPacket)), (t: string) => decodeLegacyPacket(t), (p) => decodeLegacyPacket(encodeLegacyPacket(p))),
  target('socket.io 0.9 payload (\\ufffd framing)', strings(fc.array(fc.oneof(legacyPacket.map(encodeLegacyPacket), anyString), { minLength: 1, maxLength: 4 }).map(encodeLegacyPayload)), decodeLegacyPayload, (ps) => decodeLegacyPayload(encodeLegacyPayload(ps))),
];
