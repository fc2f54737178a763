/**
 * Engine.IO protocol v4 codec (socket.io-client 3.x and 4.x).
 *
 * - A text packet is its type digit followed by its data: `4hello`.
 * - Over websocket a binary message is a raw binary frame with no type byte.
 * - Over HTTP long-polling a payload joins packets with the record separator `\x1e`; binary
 *   messages travel as `b<base64>`.
 */
import { DIGIT_ZERO, type EnginePacket, EnginePacketType } from './engine-packet.js';
import { invalidPacket, ProtocolError, ProtocolErrorCode } from './errors.js';

export const EIO4_SEPARATOR = '\x1e';

const BASE64_PREFIX = 98; // 'b'
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Encodes a packet for a websocket frame: a string for text packets, the bytes for binary ones. */
export function encodeEio4Packet(packet: EnginePacket): string | Buffer {
  const { type, data } = packet;
  if (data === undefined) return String.fromCharCode(DIGIT_ZERO + type);
  if (typeof data === 'string') return String.fromCharCode(DIGIT_ZERO + type) + data;
  return data;
}

/** Encodes a packet for an HTTP long-polling body, where everything is text. */
export function encodeEio4PollingPacket(packet: EnginePacket): string {
  const { type, data } = packet;
  if (data === undefined) return String.fromCharCode(DIGIT_ZERO + type);
  if (typeof data === 'string') return String.fromCharCode(DIGIT_ZERO + type) + data;
  return 'b' + data.toString('base64');
}

/** Encodes several packets into one long-polling payload. */
export function encodeEio4Payload(packets: readonly EnginePacket[]): string {
  if (packets.length === 1) return encodeEio4PollingPacket(packets[0]!);
  let out = '';
  for (let i = 0; i < packets.length; i++) {
    if (i > 0) out += EIO4_SEPARATOR;
    out += encodeEio4PollingPacket(packets[i]!);
  }
  return out;
}

/**
 * Decodes one packet: a websocket frame (string, or bytes for a binary message) or one record of a
 * polling payload. Throws {@link ProtocolError} on anything malformed.
 */
export function decodeEio4Packet(frame: string | Buffer): EnginePacket {
  if (typeof frame !== 'string') {
    return { type: EnginePacketType.MESSAGE, data: frame };
  }
  if (frame.length === 0) throw invalidPacket('empty packet');
  const first = frame.charCodeAt(0);
  if (first === BASE64_PREFIX) {
    const encoded = frame.slice(1);
    if (!STRICT_BASE64.test(encoded)) throw invalidPacket('invalid base64 in binary packet');
    return { type: EnginePacketType.MESSAGE, data: Buffer.from(encoded, 'base64') };
  }
  const type = first - DIGIT_ZERO;
  if (type < EnginePacketType.OPEN || type > EnginePacketType.NOOP) {
    throw invalidPacket(`unknown packet type ${JSON.stringify(frame[0])}`);
  }
  if (frame.length === 1) {
    return type === EnginePacketType.MESSAGE
      ? { type: EnginePacketType.MESSAGE, data: '' }
      : { type: type as EnginePacket['type'] };
  }
  if (type === EnginePacketType.CLOSE || type === EnginePacketType.UPGRADE || type === EnginePacketType.NOOP) {
    throw invalidPacket(`packet type ${type} carries no data`);
  }
  return { type: type as EnginePacket['type'], data: frame.slice(1) };
}

/** Decodes a long-polling payload into its packets. Throws {@link ProtocolError} on any bad record. */
export function decodeEio4Payload(payload: string): EnginePacket[] {
  if (payload.length === 0) {
    throw new ProtocolError(ProtocolErrorCode.INVALID_PAYLOAD, 'empty payload');
  }
  const records = payload.split(EIO4_SEPARATOR);
  const packets = new Array<EnginePacket>(records.length);
  for (let i = 0; i < records.length; i++) {
    packets[i] = decodeEio4Packet(records[i]!);
  }
  return packets;
}
