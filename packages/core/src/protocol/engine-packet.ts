/**
 * The Engine.IO packet model shared by every Engine.IO revision (v3 and v4 differ only in framing).
 */
export const EnginePacketType = {
  OPEN: 0,
  CLOSE: 1,
  PING: 2,
  PONG: 3,
  MESSAGE: 4,
  UPGRADE: 5,
  NOOP: 6,
} as const;

export type EnginePacketType = (typeof EnginePacketType)[keyof typeof EnginePacketType];

/**
 * One Engine.IO packet. `data` is a string for text packets; only MESSAGE packets may carry a
 * `Buffer` (binary data).
 */
export interface EnginePacket {
  type: EnginePacketType;
  data?: string | Buffer | undefined;
}

// The character code of `'0'` (packet types travel as one ASCII digit), defined with the other char codes.
export { DIGIT_ZERO } from './char-codes.js';
