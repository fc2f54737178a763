import { type EnginePacket, EnginePacketType } from '../protocol/engine-packet.js';
import { PreparedMessage } from './prepared-message.js';
import type { OutgoingItem } from './transport.js';

/** engine.io's packet type names, which its `packet`/`packetCreate` listeners compare against. */
const TYPE_NAMES: Readonly<Record<EnginePacketType, EnginePacketEvent['type']>> = {
  [EnginePacketType.OPEN]: 'open',
  [EnginePacketType.CLOSE]: 'close',
  [EnginePacketType.PING]: 'ping',
  [EnginePacketType.PONG]: 'pong',
  [EnginePacketType.MESSAGE]: 'message',
  [EnginePacketType.UPGRADE]: 'upgrade',
  [EnginePacketType.NOOP]: 'noop',
};

/** An Engine.IO packet as engine.io's `packet`, `packetCreate` and `flush` events hand it out. */
export interface EnginePacketEvent {
  type: 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';
  data?: string | Buffer | undefined;
  options?: { compress: boolean; readonly wsPreEncodedFrame?: readonly Buffer[] | undefined };
}

/** How one message is to be sent: Socket.IO's emit flags carry it (`socket.compress(false)`). */
export interface SendOptions {
  compress?: boolean | undefined;
}

/** The event form of a packet that arrived. */
export function incomingPacketEvent(packet: EnginePacket): EnginePacketEvent {
  return { type: TYPE_NAMES[packet.type], data: packet.data };
}

/**
 * The event form of a packet queued for sending. A message prepared for many sessions (a broadcast over
 * websocket) carries its frame, built once, as `options.wsPreEncodedFrame`, as engine.io's do; it is
 * built only if a listener reads it.
 */
export function outgoingPacketEvent(item: OutgoingItem, options: SendOptions | undefined, wsFrameOf?: (message: PreparedMessage) => readonly Buffer[]): EnginePacketEvent {
  if (!(item instanceof PreparedMessage)) return { type: TYPE_NAMES[item.type], data: item.data, options: { compress: true } };
  const packetOptions: NonNullable<EnginePacketEvent['options']> = { compress: options?.compress !== false };
  if (item.shared && wsFrameOf !== undefined) {
    Object.defineProperty(packetOptions, 'wsPreEncodedFrame', { enumerable: true, get: () => wsFrameOf(item) });
  }
  return { type: 'message', data: item.data, options: packetOptions };
}
