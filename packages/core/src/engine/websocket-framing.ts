import type { EnginePacket } from '../protocol/engine-packet.js';
import { decodeEio3Packet, encodeEio3Packet } from '../protocol/eio3.js';
import { decodeEio4Packet, encodeEio4Packet } from '../protocol/eio4.js';
import type { FrameOf } from './packet-events.js';
import type { PreparedMessage } from './prepared-message.js';

/**
 * How one Engine.IO generation puts packets in websocket frames: one packet per frame in both, binary
 * messages as raw binary frames (Engine.IO v4) or led by the type byte (v3).
 */
export interface WebSocketFraming {
  /** A control packet as the data of one frame. */
  encode(packet: EnginePacket): string | Buffer;
  /** One frame's data as a packet. Throws ProtocolError. */
  decode(frame: string | Buffer): EnginePacket;
  /** A binary message (`data` is its data) as the data of one frame. */
  binary(data: Buffer, message: PreparedMessage): Buffer;
  /** The complete frame (header and data) of a message prepared for many sessions, built once. */
  readonly frame: FrameOf;
}

/** Engine.IO v4: a binary message is its data alone. */
export const EIO4_WEBSOCKET_FRAMING: WebSocketFraming = {
  encode: encodeEio4Packet,
  decode: decodeEio4Packet,
  binary: (data) => data,
  frame: (message) => message.wsFrame,
};

/** Engine.IO v3: a binary message is led by its type byte. */
export const EIO3_WEBSOCKET_FRAMING: WebSocketFraming = {
  encode: encodeEio3Packet,
  decode: decodeEio3Packet,
  binary: (_data, message) => message.eio3Binary,
  frame: (message) => message.eio3WsFrame,
};
