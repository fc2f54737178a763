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

/** Which websocket frame of a prepared message a session would send it as: none (polling), Engine.IO v4's or v3's. */
export const WsFrameKind = { NONE: 0, EIO4: 1, EIO3: 2 } as const;
export type WsFrameKind = (typeof WsFrameKind)[keyof typeof WsFrameKind];

const NO_FRAME: readonly Buffer[] = Object.freeze([]);
const FRAME_OF: Readonly<Record<WsFrameKind, (message: PreparedMessage) => readonly Buffer[]>> = {
  [WsFrameKind.NONE]: () => NO_FRAME,
  [WsFrameKind.EIO4]: (message) => message.wsFrame,
  [WsFrameKind.EIO3]: (message) => message.eio3WsFrame,
};

type PacketOptions = NonNullable<EnginePacketEvent['options']>;

/**
 * The options of a shared message's events, made once per message, frame kind and compress flag: every
 * recipient of a broadcast gets the same object, as with socket.io, whose broadcast shares one options
 * object between its recipients too.
 */
const sharedOptions = new WeakMap<PreparedMessage, (PacketOptions | undefined)[]>();

/**
 * The event form of a packet queued for sending. A message prepared for many sessions (a broadcast over
 * websocket) carries its frame, built once, as `options.wsPreEncodedFrame`, as engine.io's do; it is
 * built only if a listener reads it.
 */
export function outgoingPacketEvent(item: OutgoingItem, options: SendOptions | undefined, frameKind?: WsFrameKind): EnginePacketEvent {
  if (!(item instanceof PreparedMessage)) return { type: TYPE_NAMES[item.type], data: item.data, options: { compress: true } };
  const compress = options?.compress !== false;
  if (!item.shared || frameKind === undefined) return { type: 'message', data: item.data, options: { compress } };
  let cache = sharedOptions.get(item);
  if (cache === undefined) sharedOptions.set(item, (cache = []));
  const slot = frameKind * 2 + (compress ? 1 : 0);
  return { type: 'message', data: item.data, options: (cache[slot] ??= framedOptions(item, frameKind, compress)) };
}

function framedOptions(message: PreparedMessage, frameKind: WsFrameKind, compress: boolean): PacketOptions {
  const packetOptions: PacketOptions = { compress };
  const frameOf = FRAME_OF[frameKind];
  Object.defineProperty(packetOptions, 'wsPreEncodedFrame', { enumerable: true, get: () => frameOf(message) });
  return packetOptions;
}
