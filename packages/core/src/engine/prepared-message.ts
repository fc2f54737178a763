import * as ws from 'ws';
import { eio3BinaryRecord, eio3TextRecord, encodeEio3Base64, encodeEio3BinaryMessage } from '../protocol/eio3.js';
import { DIGIT_ZERO, EnginePacketType } from '../protocol/engine-packet.js';

/** `Sender.frame` is public in ws but missing from its type declarations. */
interface FrameOptions {
  fin: boolean;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
  opcode: number;
}
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

const MESSAGE_PREFIX = String.fromCharCode(DIGIT_ZERO + EnginePacketType.MESSAGE);
const TEXT = 0x1;
const BINARY = 0x2;

/**
 * One Engine.IO message prepared once for any number of sessions: a broadcast to a thousand sockets
 * encodes the polling text once and builds the websocket frame once, then writes the same bytes to
 * every connection.
 */
export class PreparedMessage {
  readonly data: string | Buffer;
  /**
   * Whether several sessions receive this very message (a broadcast). Only then does building the
   * frame once pay off; a message for one session goes through ws, which frames strings without a copy.
   */
  readonly shared: boolean;
  #pollingText: string | undefined;
  #wsFrame: readonly Buffer[] | undefined;
  #eio3Binary: Buffer | undefined;
  #eio3TextRecord: string | undefined;
  #eio3Record: Buffer | undefined;
  #eio3WsFrame: readonly Buffer[] | undefined;

  constructor(data: string | Buffer, shared = false) {
    this.data = data;
    this.shared = shared;
  }

  /**
   * Whether it may be compressed (permessage-deflate over websocket, gzip of a polling answer): not the
   * {@link uncompressed} form, which socket.io's `compress(false)` asks for (data that does not shrink:
   * images, video). A getter, so that the common message carries no field for it.
   */
  get compress(): boolean {
    return true;
  }

  /** The same message, sent without compression: made once, so a broadcast's recipients share it too. */
  uncompressed(): PreparedMessage {
    let sibling = UNCOMPRESSED.get(this);
    if (sibling === undefined) UNCOMPRESSED.set(this, (sibling = new UncompressedMessage(this.data, this.shared)));
    return sibling;
  }

  /** The packet as it appears in a v4 polling payload: `4…` or `b<base64>`. */
  get pollingText(): string {
    return (this.#pollingText ??=
      typeof this.data === 'string' ? MESSAGE_PREFIX + this.data : 'b' + this.data.toString('base64'));
  }

  /** The complete, unmasked, uncompressed websocket frame (header and payload) a server sends. */
  get wsFrame(): readonly Buffer[] {
    if (this.#wsFrame === undefined) {
      const text = typeof this.data === 'string';
      const payload = text ? Buffer.from(MESSAGE_PREFIX + this.data) : this.data;
      this.#wsFrame = frame(payload, text);
    }
    return this.#wsFrame;
  }

  /** Engine.IO v3, a binary message as a websocket sends it: the type byte, then the data. */
  get eio3Binary(): Buffer {
    return (this.#eio3Binary ??= encodeEio3BinaryMessage(typeof this.data === 'string' ? Buffer.from(this.data) : this.data));
  }

  /** Engine.IO v3, a text polling payload's record: `<length>:4…`, or `<length>:b4<base64>` for binary data. */
  get eio3TextRecord(): string {
    return (this.#eio3TextRecord ??= eio3TextRecord(typeof this.data === 'string' ? this.pollingText : encodeEio3Base64(this.data)));
  }

  /** Engine.IO v3, a binary polling payload's record: `<0|1><digits><0xFF><packet>`. */
  get eio3BinaryRecord(): Buffer {
    return (this.#eio3Record ??= eio3BinaryRecord(typeof this.data === 'string' ? this.pollingText : this.eio3Binary));
  }

  /** Engine.IO v3, the complete websocket frame: text frames as in v4, binary ones with the type byte. */
  get eio3WsFrame(): readonly Buffer[] {
    if (typeof this.data === 'string') return this.wsFrame;
    return (this.#eio3WsFrame ??= frame(this.eio3Binary, false));
  }
}

function frame(payload: Buffer, text: boolean): readonly Buffer[] {
  return Sender.frame(payload, { fin: true, mask: false, readOnly: true, rsv1: false, opcode: text ? TEXT : BINARY });
}

/** A message sent with compress(false); see {@link PreparedMessage.uncompressed}. */
class UncompressedMessage extends PreparedMessage {
  override get compress(): boolean {
    return false;
  }

  override uncompressed(): PreparedMessage {
    return this;
  }
}

/** The uncompressed form of each message that was sent with compress(false), while the message lives. */
const UNCOMPRESSED = new WeakMap<PreparedMessage, PreparedMessage>();
