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
 * Which websocket frame of a prepared message a session would send it as now: its generation's
 * (WebSocketFraming.frame), or {@link NO_FRAME_OF} over polling.
 */
export type FrameOf = (message: PreparedMessage) => readonly Buffer[];

const NO_FRAME: readonly Buffer[] = Object.freeze([]);
/** A polling session's: no frame. */
export const NO_FRAME_OF: FrameOf = () => NO_FRAME;

type PacketOptions = NonNullable<EnginePacketEvent['options']>;

/** One options object of a shared message's events, for one frame. */
interface SharedOptions {
  readonly frameOf: FrameOf;
  readonly options: PacketOptions;
}

/**
 * The options of a shared message's events, made once per message and frame (a message sent with
 * compress(false) is a message of its own, see PreparedMessage.uncompressed): every
 * recipient of a broadcast gets the same object, as with socket.io, whose broadcast shares one options
 * object between its recipients too. A message has a few of them at most (polling, each generation's
 * websocket frame), so a list searched in order serves.
 */
const sharedOptions = new WeakMap<PreparedMessage, SharedOptions[]>();

/**
 * The event form of a packet queued for sending. A message prepared for many sessions (a broadcast over
 * websocket) carries its frame, built once, as `options.wsPreEncodedFrame`, as engine.io's do; it is
 * built only if a listener reads it.
 */
export function outgoingPacketEvent(item: OutgoingItem, frameOf?: FrameOf): EnginePacketEvent {
  if (!(item instanceof PreparedMessage)) return { type: TYPE_NAMES[item.type], data: item.data, options: { compress: true } };
  const compress = item.compress;
  if (!item.shared || frameOf === undefined) return { type: 'message', data: item.data, options: { compress } };
  let cache = sharedOptions.get(item);
  if (cache === undefined) sharedOptions.set(item, (cache = []));
  for (let i = 0; i < cache.length; i++) {
    const entry = cache[i]!;
    if (entry.frameOf === frameOf) return { type: 'message', data: item.data, options: entry.options };
  }
  const entry = { frameOf, options: framedOptions(item, frameOf, compress) };
  cache.push(entry);
  return { type: 'message', data: item.data, options: entry.options };
}

function framedOptions(message: PreparedMessage, frameOf: FrameOf, compress: boolean): PacketOptions {
  const packetOptions: PacketOptions = { compress };
  Object.defineProperty(packetOptions, 'wsPreEncodedFrame', { enumerable: true, get: () => frameOf(message) });
  return packetOptions;
}
