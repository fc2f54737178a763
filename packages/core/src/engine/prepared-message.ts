import * as ws from 'ws';
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

  constructor(data: string | Buffer, shared = false) {
    this.data = data;
    this.shared = shared;
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
      this.#wsFrame = Sender.frame(payload, { fin: true, mask: false, readOnly: true, rsv1: false, opcode: text ? TEXT : BINARY });
    }
    return this.#wsFrame;
  }
}
