import { invalidPacket, ProtocolError, ProtocolErrorCode } from './errors.js';
import { DIGIT_ZERO, PLUS, readDecimal } from './char-codes.js';
import { checkFiniteNumbers, checkNestingDepth, DEFAULT_MAX_NESTING_DEPTH } from './json-depth.js';

/**
 * The packets of the 0.9 protocol ("protocol 1", socket.io-client 0.7–0.9): `type:id[+]:endpoint[:data]`.
 * The endpoint is the namespace (`''` for the main one).
 */
export const LegacyPacketType = {
  DISCONNECT: 0,
  CONNECT: 1,
  HEARTBEAT: 2,
  MESSAGE: 3,
  JSON: 4,
  EVENT: 5,
  ACK: 6,
  ERROR: 7,
  NOOP: 8,
} as const;

export type LegacyPacketType = (typeof LegacyPacketType)[keyof typeof LegacyPacketType];

/** The error reasons and advice a 0.9 client knows, by their index on the wire. */
export const LegacyErrorReason = { TRANSPORT_NOT_SUPPORTED: '0', CLIENT_NOT_HANDSHAKEN: '1', UNAUTHORIZED: '2' } as const;
export const LegacyErrorAdvice = { RECONNECT: '0' } as const;

interface Common {
  endpoint: string;
  /** The message id the sender wants acknowledged. */
  id?: number;
  /** With an id: `id+` — the receiver's handler acks with data; without `+` the ack is automatic. */
  ackData?: boolean;
}

export type LegacyPacket = Common &
  (
    | { type: typeof LegacyPacketType.DISCONNECT }
    | { type: typeof LegacyPacketType.CONNECT; query?: string }
    | { type: typeof LegacyPacketType.HEARTBEAT }
    | { type: typeof LegacyPacketType.MESSAGE; data: string }
    | { type: typeof LegacyPacketType.JSON; data: unknown }
    | { type: typeof LegacyPacketType.EVENT; name: string; args: unknown[] }
    | { type: typeof LegacyPacketType.ACK; ackId: number; args?: unknown[] }
    | { type: typeof LegacyPacketType.ERROR; reason: string; advice?: string }
    | { type: typeof LegacyPacketType.NOOP }
  );

/** The frame mark of a payload holding several packets: `\ufffd<length>\ufffd<packet>`. */
const FRAME = '\ufffd';
/** Digits a message id may have: beyond that it is no longer a safe integer. */
const MAX_ID_DIGITS = 15;
/** Digits a frame length may have. */
const MAX_FRAME_DIGITS = 9;

/** Writes one packet. */
export function encodeLegacyPacket(packet: LegacyPacket): string {
  const head = `${packet.type}:${packet.id ?? ''}${packet.id !== undefined && packet.ackData === true ? '+' : ''}:${packet.endpoint}`;
  const data = dataOf(packet);
  return data === undefined ? head : `${head}:${data}`;
}

function dataOf(packet: LegacyPacket): string | undefined {
  switch (packet.type) {
    case LegacyPacketType.CONNECT:
      return packet.query === undefined || packet.query === '' ? undefined : packet.query;
    case LegacyPacketType.MESSAGE:
      return packet.data === '' ? undefined : packet.data;
    case LegacyPacketType.JSON:
      return JSON.stringify(packet.data) ?? 'null';
    case LegacyPacketType.EVENT:
      return JSON.stringify(packet.args.length > 0 ? { name: packet.name, args: packet.args } : { name: packet.name });
    case LegacyPacketType.ACK:
      return packet.args === undefined ? `${packet.ackId}` : `${packet.ackId}+${JSON.stringify(packet.args)}`;
    case LegacyPacketType.ERROR: {
      const advice = packet.advice ?? '';
      if (packet.reason === '' && advice === '') return undefined;
      return advice === '' ? packet.reason : `${packet.reason}+${advice}`;
    }
    default:
      return undefined;
  }
}

/**
 * Reads one packet; throws a ProtocolError when it does not parse. Read with `charCodeAt` and built in
 * one object of its type's shape: this runs for every packet a 0.9 client sends.
 */
export function decodeLegacyPacket(text: string, maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH): LegacyPacket {
  const first = text.indexOf(':');
  const second = first === -1 ? -1 : text.indexOf(':', first + 1);
  if (second === -1) throw invalidPacket('a 0.9 packet needs at least `type:id:`');
  const type = text.charCodeAt(0) - DIGIT_ZERO;
  if (first !== 1 || type < LegacyPacketType.DISCONNECT || type > LegacyPacketType.NOOP) {
    throw invalidPacket(`unknown 0.9 packet type ${JSON.stringify(text.slice(0, Math.min(first, 16)))}`);
  }
  // `id` or `id+` (the receiver's handler acks with data), or nothing.
  let id = -1;
  let ackData = false;
  if (second > first + 1) {
    ackData = text.charCodeAt(second - 1) === PLUS;
    id = readDecimal(text, first + 1, ackData ? second - 1 : second, MAX_ID_DIGITS);
    if (id === -1) throw invalidPacket('a 0.9 message id must be a number');
  }
  const third = text.indexOf(':', second + 1);
  const endpoint = third === -1 ? text.slice(second + 1) : text.slice(second + 1, third);
  const data = third === -1 ? undefined : text.slice(third + 1);
  const json = data !== undefined && (type === LegacyPacketType.JSON || type === LegacyPacketType.EVENT || type === LegacyPacketType.ACK);
  const mayOverflow = json && checkNestingDepth(data, 0, maxNestingDepth);
  const packet = withData(type as LegacyPacketType, endpoint, data);
  if (id !== -1) {
    packet.id = id;
    packet.ackData = ackData;
  }
  if (mayOverflow) checkFiniteNumbers(packet);
  return packet;
}

function withData(type: LegacyPacketType, endpoint: string, data: string | undefined): LegacyPacket {
  switch (type) {
    case LegacyPacketType.CONNECT:
      return { type, endpoint, query: data ?? '' };
    case LegacyPacketType.MESSAGE:
      return { type, endpoint, data: data ?? '' };
    case LegacyPacketType.JSON:
      return { type, endpoint, data: parseJson(data ?? '', 'json') };
    case LegacyPacketType.EVENT: {
      const event = parseJson(data ?? '', 'event') as { name?: unknown; args?: unknown } | null;
      if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof event.name !== 'string') {
        throw invalidPacket('a 0.9 event must be an object with a string name');
      }
      const args = event.args ?? [];
      if (!Array.isArray(args)) throw invalidPacket('the args of a 0.9 event must be an array');
      return { type, endpoint, name: event.name, args };
    }
    case LegacyPacketType.ACK:
      return ackPacket(endpoint, data ?? '');
    case LegacyPacketType.ERROR: {
      const text = data ?? '';
      const plus = text.indexOf('+');
      const advice = plus === -1 ? '' : text.slice(plus + 1);
      const reason = plus === -1 ? text : text.slice(0, plus);
      // An empty advice is no advice, as the encoder writes it (`7:::1+` is `7:::1`).
      return advice === '' ? { type, endpoint, reason } : { type, endpoint, reason, advice };
    }
    default:
      return { type, endpoint } as LegacyPacket;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidPacket(`the data of a 0.9 ${what} packet is not JSON`);
  }
}

/** `<ack id>[+<json array>]`, split on the first `+` only (the JSON may hold more). */
function ackPacket(endpoint: string, text: string): LegacyPacket {
  const plus = text.indexOf('+');
  const ackId = readDecimal(text, 0, plus === -1 ? text.length : plus, MAX_ID_DIGITS);
  if (ackId === -1) throw invalidPacket('a 0.9 ack needs a numeric ack id');
  if (plus === -1) return { type: LegacyPacketType.ACK, endpoint, ackId };
  const args = parseJson(text.slice(plus + 1), 'ack');
  if (!Array.isArray(args)) throw invalidPacket('the args of a 0.9 ack must be an array');
  return { type: LegacyPacketType.ACK, endpoint, ackId, args };
}

/** Joins encoded packets into one body: a lone packet goes as it is (unless it starts with a frame mark), several are framed. */
export function encodeLegacyPayload(packets: readonly string[]): string {
  if (packets.length === 1 && !packets[0]!.startsWith(FRAME)) return packets[0]!;
  let out = '';
  for (const packet of packets) out += `${FRAME}${packet.length}${FRAME}${packet}`;
  return out;
}

/** Splits a body into its packets' texts (lengths count UTF-16 code units); throws on bad framing. */
export function decodeLegacyPayload(body: string): string[] {
  if (!body.startsWith(FRAME)) return [body];
  const packets: string[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] !== FRAME) throw invalidPayload('expected a \\ufffd frame mark');
    const end = body.indexOf(FRAME, i + 1);
    const length = end === -1 ? -1 : readDecimal(body, i + 1, end, MAX_FRAME_DIGITS);
    if (length === -1) throw invalidPayload('a frame length must be a number');
    const start = end + 1;
    const stop = start + length;
    if (stop > body.length) throw invalidPayload('a frame is longer than the body');
    packets.push(body.slice(start, stop));
    i = stop;
  }
  return packets;
}

function invalidPayload(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_PAYLOAD, `0.9 payload: ${message}`);
}
