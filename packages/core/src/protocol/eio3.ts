/**
 * Engine.IO protocol v3 codec (socket.io-client 2.x).
 *
 * - Text packets are written as in v4 (`4hello`); a binary message in text form is `b4<base64>`.
 * - Over websocket a binary message is a binary frame whose first byte is the packet type (`04 …`).
 * - A text polling payload is `<length>:<packet>` repeated, the length counted in UTF-16 code units.
 * - A binary polling payload (XHR2 clients) is `<0 text|1 binary><length as digit bytes><0xFF><data>`
 *   repeated, the length counted in bytes (UTF-8 for text records).
 */
import { readDecimal } from './char-codes.js';
import { DIGIT_ZERO, type EnginePacket, EnginePacketType } from './engine-packet.js';
import { decodeEio4Packet, encodeEio4PollingPacket } from './eio4.js';
import { invalidPacket, ProtocolError, ProtocolErrorCode } from './errors.js';

const BASE64_PREFIX = 98; // 'b'
const RECORD_TEXT = 0;
const RECORD_BINARY = 1;
const RECORD_END = 0xff;
/** More length digits than any HTTP body this side of a petabyte needs. */
const MAX_LENGTH_DIGITS = 15;
const MESSAGE_TYPE_BYTE = Buffer.of(EnginePacketType.MESSAGE);

function invalidPayload(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_PAYLOAD, message);
}

/** A binary message in text form: `b4<base64>`. */
export function encodeEio3Base64(data: Buffer): string {
  return 'b4' + data.toString('base64');
}

/** A binary message as a websocket frame or binary record: the type byte, then the data. */
export function encodeEio3BinaryMessage(data: Buffer): Buffer {
  return Buffer.concat([MESSAGE_TYPE_BYTE, data]);
}

/** Encodes a packet for a websocket frame: a string for text packets, type byte and bytes for binary ones. */
export function encodeEio3Packet(packet: EnginePacket): string | Buffer {
  const data = packet.data;
  return Buffer.isBuffer(data) ? encodeEio3BinaryMessage(data) : encodeEio4PollingPacket(packet);
}

/** Encodes a packet as text: binary messages become `b4<base64>`. */
export function encodeEio3TextPacket(packet: EnginePacket): string {
  const data = packet.data;
  return Buffer.isBuffer(data) ? encodeEio3Base64(data) : encodeEio4PollingPacket(packet);
}

/** One record of a text payload: `<length>:<packet>`. */
export function eio3TextRecord(text: string): string {
  return `${text.length}:${text}`;
}

/** One record of a binary payload for an encoded packet (text, or type byte and bytes). */
export function eio3BinaryRecord(encoded: string | Buffer): Buffer {
  const text = typeof encoded === 'string';
  const body = text ? Buffer.from(encoded) : encoded;
  const digits = String(body.length);
  const header = Buffer.allocUnsafe(digits.length + 2);
  header[0] = text ? RECORD_TEXT : RECORD_BINARY;
  for (let i = 0; i < digits.length; i++) header[i + 1] = digits.charCodeAt(i) - DIGIT_ZERO;
  header[digits.length + 1] = RECORD_END;
  return Buffer.concat([header, body]);
}

/** Encodes packets as a text payload (binary messages as `b4<base64>`). */
export function encodeEio3Payload(packets: readonly EnginePacket[]): string {
  let out = '';
  for (const packet of packets) out += eio3TextRecord(encodeEio3TextPacket(packet));
  return out;
}

/** Encodes packets as a binary payload (for clients that did not ask for `b64`). */
export function encodeEio3BinaryPayload(packets: readonly EnginePacket[]): Buffer {
  return Buffer.concat(packets.map((packet) => eio3BinaryRecord(encodeEio3Packet(packet))));
}

/**
 * Decodes one packet: a websocket frame (a string, or bytes led by the type byte) or one record of a
 * payload. Throws {@link ProtocolError} on anything malformed.
 */
export function decodeEio3Packet(frame: string | Buffer): EnginePacket {
  if (typeof frame !== 'string') {
    if (frame.length === 0 || frame[0] !== EnginePacketType.MESSAGE) throw invalidPacket('binary frame without a message type byte');
    return { type: EnginePacketType.MESSAGE, data: frame.subarray(1) };
  }
  if (frame.charCodeAt(0) === BASE64_PREFIX) {
    if (frame.charCodeAt(1) !== DIGIT_ZERO + EnginePacketType.MESSAGE) throw invalidPacket('base64 packet that is not a message');
    return decodeEio4Packet('b' + frame.slice(2));
  }
  return decodeEio4Packet(frame);
}

/** Decodes a text payload (`<length>:<packet>` repeated). Empty records are skipped. */
export function decodeEio3Payload(payload: string): EnginePacket[] {
  if (payload.length === 0) throw invalidPayload('empty payload');
  const packets: EnginePacket[] = [];
  let i = 0;
  while (i < payload.length) {
    const colon = payload.indexOf(':', i);
    const length = colon === -1 ? -1 : readDecimal(payload, i, colon, MAX_LENGTH_DIGITS);
    if (length === -1) throw invalidPayload('bad record length');
    const start = colon + 1;
    if (start + length > payload.length) throw invalidPayload('record longer than the payload');
    if (length > 0) packets.push(decodeEio3Packet(payload.slice(start, start + length)));
    i = start + length;
  }
  return packets;
}

/** Decodes a binary payload (`<0|1><digits><0xFF><data>` repeated). */
export function decodeEio3BinaryPayload(payload: Buffer): EnginePacket[] {
  if (payload.length === 0) throw invalidPayload('empty payload');
  const packets: EnginePacket[] = [];
  let i = 0;
  while (i < payload.length) {
    const kind = payload[i];
    if (kind !== RECORD_TEXT && kind !== RECORD_BINARY) throw invalidPayload('bad record kind');
    let length = 0;
    let j = i + 1;
    for (; j < payload.length && payload[j] !== RECORD_END; j++) {
      const digit = payload[j]!;
      if (digit > 9 || j - i > MAX_LENGTH_DIGITS) throw invalidPayload('bad record length');
      length = length * 10 + digit;
    }
    if (j === i + 1 || j >= payload.length) throw invalidPayload('bad record length');
    const start = j + 1;
    if (start + length > payload.length) throw invalidPayload('record longer than the payload');
    const body = payload.subarray(start, start + length);
    packets.push(decodeEio3Packet(kind === RECORD_TEXT ? body.toString('utf8') : body));
    i = start + length;
  }
  return packets;
}
