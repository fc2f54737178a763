/**
 * Socket.IO packet codec: protocol v5 (socket.io-client 3.x and 4.x, over Engine.IO v4) and protocol v4
 * (socket.io-client 2.x, over Engine.IO v3), which frame packets the same way.
 *
 * - A packet is one Engine.IO text message, `<type>[<attachments>-][<nsp>,][<ack id>][<json>]`:
 *   `2/admin,12["chat","hi"]`. The namespace is left out when it is `/`.
 * - A packet carrying binary is a BINARY_EVENT or BINARY_ACK: each binary value becomes
 *   `{"_placeholder":true,"num":i}` and travels as binary Engine.IO message `i` right after the text.
 */
import { DASH, DIGIT_NINE, DIGIT_ZERO, OPEN_BRACE, OPEN_BRACKET, QUOTE, SLASH } from './char-codes.js';
import { checkFiniteNumbers, checkNestingDepth, DEFAULT_MAX_NESTING_DEPTH } from './json-depth.js';
import { invalidPacket } from './errors.js';
import { type AttachmentSlot, findPlaceholders, hasBinary, replaceBinary, restoreBinary } from './socket-binary.js';
import { checkPayload } from './socket-packet-check.js';
import { type SocketPacket, SocketPacketType } from './socket-packet-type.js';

export { hasBinary } from './socket-binary.js';
export { checkSocketPacket, RESERVED_EVENTS } from './socket-packet-check.js';
export { type SocketPacket, SocketPacketType } from './socket-packet-type.js';

export interface SocketPacketDecoderOptions {
  /** Most attachments one binary packet may announce. Default 10. */
  maxAttachments?: number;
  /** Most bytes the attachments of one binary packet may add up to. Default: no limit. */
  maxAttachmentBytes?: number;
  /** Deepest nesting of arrays and objects the packet's JSON may have (the args array counts). Default 64. */
  maxNestingDepth?: number;
}

const DEFAULT_MAX_ATTACHMENTS = 10;
/** Digits of Number.MAX_SAFE_INTEGER: an ack id may be any safe integer, as the encoder and checkSocketPacket allow. */
const MAX_ACK_ID_DIGITS = 16;


function isDigit(code: number): boolean {
  return code >= DIGIT_ZERO && code <= DIGIT_NINE;
}

/**
 * Encodes a packet into Engine.IO messages: the text first, then one Buffer per attachment.
 * EVENT/ACK whose data holds binary anywhere (nested at any depth) go out as BINARY_EVENT/BINARY_ACK with
 * `<n>-` and `{"_placeholder":true,"num":i}` in place of each binary value, numbered depth first; BINARY_*
 * without binary go out as EVENT/ACK. ArrayBuffers and views become Buffers over the same memory.
 * JSON is compact and honours `toJSON`; a cycle throws JSON.stringify's TypeError.
 * Format: `<type>[<attachments>-][<nsp>,][<id>][<json>]`, `<nsp>,` left out when nsp is '/'.
 */
export function encodeSocketPacket(packet: SocketPacket): [string, ...Buffer[]] {
  const { nsp, id, data } = packet;
  let type: SocketPacketType = packet.type;
  if (nsp !== '/' && nsp.charCodeAt(0) !== SLASH) throw new TypeError(`invalid namespace ${JSON.stringify(nsp)}`);
  if (id !== undefined && !(Number.isSafeInteger(id) && id >= 0)) throw new TypeError(`invalid ack id ${id}`);

  let payload = data;
  let buffers: Buffer[] | undefined;
  if (type === SocketPacketType.EVENT || type === SocketPacketType.BINARY_EVENT) {
    type = hasBinary(data) ? SocketPacketType.BINARY_EVENT : SocketPacketType.EVENT;
  } else if (type === SocketPacketType.ACK || type === SocketPacketType.BINARY_ACK) {
    type = hasBinary(data) ? SocketPacketType.BINARY_ACK : SocketPacketType.ACK;
  }
  if (type === SocketPacketType.BINARY_EVENT || type === SocketPacketType.BINARY_ACK) {
    buffers = [];
    payload = replaceBinary(data, buffers);
  }

  let text = String.fromCharCode(DIGIT_ZERO + type);
  if (buffers !== undefined) text += `${buffers.length}-`;
  if (nsp !== '/') text += `${nsp},`;
  if (id !== undefined) text += id;
  if (payload !== undefined) {
    const json = JSON.stringify(payload) as string | undefined; // undefined for a function or a symbol
    if (json !== undefined) text += json;
  }
  return buffers === undefined ? [text] : [text, ...buffers];
}

interface PendingPacket {
  packet: SocketPacket;
  slots: AttachmentSlot[];
  buffers: Buffer[];
}

/** Feed Engine.IO messages in order. Connections may share one between binary packets: {@link SocketPacketDecoder.handOff} moves a half-received one to a decoder of its own. */
export class SocketPacketDecoder {
  readonly #maxAttachments: number;
  readonly #maxAttachmentBytes: number;
  readonly #maxNestingDepth: number;
  #pending: PendingPacket | undefined;
  #pendingBytes = 0;

  constructor(options?: SocketPacketDecoderOptions) {
    const max = options?.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
    if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`invalid maxAttachments ${max}`);
    this.#maxAttachments = max;
    this.#maxAttachmentBytes = options?.maxAttachmentBytes ?? Infinity;
    this.#maxNestingDepth = options?.maxNestingDepth ?? DEFAULT_MAX_NESTING_DEPTH;
  }

  /**
   * Returns a complete packet, or null while attachments of a binary packet are still expected. A binary
   * packet keeps its wire type (BINARY_EVENT / BINARY_ACK) with its attachments already in `data`.
   * Throws ProtocolError (code ERR_PROTOCOL_INVALID_PACKET) on anything malformed, and then resets.
   */
  add(message: string | Buffer): SocketPacket | null {
    try {
      return typeof message === 'string' ? this.#addText(message) : this.#addAttachment(message);
    } catch (err) {
      this.reset();
      throw err;
    }
  }

  /**
   * Moves a half-received binary packet to a new decoder with the same limits, and returns it; this one
   * is left empty. Lets connections share one decoder between binary packets.
   */
  handOff(): SocketPacketDecoder {
    const own = new SocketPacketDecoder({
      maxAttachments: this.#maxAttachments,
      maxAttachmentBytes: this.#maxAttachmentBytes,
      maxNestingDepth: this.#maxNestingDepth,
    });
    own.#pending = this.#pending;
    own.#pendingBytes = this.#pendingBytes;
    this.reset();
    return own;
  }

  /** Drops a half-received binary packet. */
  reset(): void {
    this.#pending = undefined;
    this.#pendingBytes = 0;
  }

  #addText(text: string): SocketPacket | null {
    const pending = this.#pending;
    if (pending !== undefined) {
      const { buffers, slots } = pending;
      throw invalidPacket(`expected binary attachment ${buffers.length + 1} of ${slots.length}, got text`);
    }
    const { packet, attachments } = decodeText(text, this.#maxAttachments, this.#maxNestingDepth);
    if (attachments === 0) return packet;
    this.#pending = { packet, slots: findPlaceholders(packet.data as unknown[], attachments), buffers: [] };
    return null;
  }

  #addAttachment(buffer: Buffer): SocketPacket | null {
    const pending = this.#pending;
    if (pending === undefined) throw invalidPacket('binary message without a binary packet waiting for it');
    const { packet, slots, buffers } = pending;
    this.#pendingBytes += buffer.length;
    if (this.#pendingBytes > this.#maxAttachmentBytes) {
      throw invalidPacket(`binary attachments over ${this.#maxAttachmentBytes} bytes in one packet`);
    }
    buffers.push(buffer);
    if (buffers.length < slots.length) return null;
    restoreBinary(slots, buffers);
    this.reset();
    return packet;
  }
}

/** Parses the text of a packet; `attachments` is 0 unless it is a binary packet. */
function decodeText(text: string, maxAttachments: number, maxNestingDepth: number): { packet: SocketPacket; attachments: number } {
  if (text.length === 0) throw invalidPacket('empty packet');
  const type = text.charCodeAt(0) - DIGIT_ZERO;
  if (!(type >= SocketPacketType.CONNECT && type <= SocketPacketType.BINARY_ACK)) {
    throw invalidPacket(`unknown packet type ${JSON.stringify(text[0])}`);
  }
  const binary = type === SocketPacketType.BINARY_EVENT || type === SocketPacketType.BINARY_ACK;
  let i = 1;

  let attachments = 0;
  if (binary) {
    const start = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === start) throw invalidPacket('Illegal attachments: binary packet without an attachment count');
    if (text.charCodeAt(i) !== DASH) throw invalidPacket('Illegal attachments: no "-" after the attachment count');
    attachments = Number(text.slice(start, i));
    if (attachments === 0) throw invalidPacket('Illegal attachments: binary packet announcing no attachment');
    if (attachments > maxAttachments) {
      throw invalidPacket(`Illegal attachments: binary packet announcing ${attachments} attachments, over the limit of ${maxAttachments}`);
    }
    i++;
  }

  let nsp = '/';
  if (text.charCodeAt(i) === SLASH) {
    const comma = text.indexOf(',', i);
    const end = comma === -1 ? text.length : comma;
    nsp = text.slice(i, end);
    i = comma === -1 ? end : comma + 1;
  }

  let id: number | undefined;
  const idStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i > idStart) {
    id = i - idStart > MAX_ACK_ID_DIGITS ? Infinity : Number(text.slice(idStart, i));
    if (!Number.isSafeInteger(id)) throw invalidPacket('ack id over Number.MAX_SAFE_INTEGER');
  }

  let data: unknown;
  if (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== OPEN_BRACKET && c !== OPEN_BRACE && c !== QUOTE) {
      throw invalidPacket(`unexpected ${JSON.stringify(text[i])} at offset ${i}`);
    }
    const mayOverflow = checkNestingDepth(text, i, maxNestingDepth);
    try {
      data = JSON.parse(text.slice(i));
    } catch {
      throw invalidPacket('payload is not valid JSON');
    }
    if (mayOverflow) checkFiniteNumbers(data);
  }

  checkPayload(type as SocketPacketType, id, data);
  const packet: SocketPacket = { type: type as SocketPacketType, nsp };
  if (id !== undefined) packet.id = id;
  if (data !== undefined) packet.data = data;
  return { packet, attachments };
}
