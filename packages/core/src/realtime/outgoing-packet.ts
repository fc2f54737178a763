import { PreparedMessage } from '../engine/prepared-message.js';
import { encodeSocketPacket, type SocketPacket, SocketPacketDecoder } from '../protocol/socket-packet.js';
import { toLegacyText } from './legacy-wire.js';

/** A packet in the Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
export type SocketIoEncoding = readonly [string, ...Buffer[]];

/**
 * A packet on its way out, encoded at most once per wire format however many sockets receive it.
 * A broadcast to a thousand sockets encodes once. It is built from the packet, or from its Socket.IO
 * encoding when someone else (an adapter built on socket.io-adapter) already encoded it: the packet is
 * then decoded only if a client of another generation (0.9) needs it.
 */
export class OutgoingPacket {
  /** Whether the packet goes to several sockets (a broadcast). */
  readonly #shared: boolean;
  #packet: SocketPacket | undefined;
  #socketIo: SocketIoEncoding | undefined;
  #prepared: PreparedMessage[] | undefined;
  #legacy: string | null | undefined;

  constructor(packet: SocketPacket | SocketIoEncoding, shared = false) {
    if (isEncoding(packet)) this.#socketIo = packet;
    else this.#packet = packet;
    this.#shared = shared;
  }

  get packet(): SocketPacket {
    return (this.#packet ??= decodeEncoding(this.#socketIo!));
  }

  /** The Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
  get socketIo(): SocketIoEncoding {
    return (this.#socketIo ??= encodeSocketPacket(this.#packet!));
  }

  /** The Socket.IO encoding as Engine.IO messages, framed once and shared by every recipient. */
  get prepared(): readonly PreparedMessage[] {
    return (this.#prepared ??= this.socketIo.map((part) => new PreparedMessage(part, this.#shared)));
  }

  /** The 0.9 encoding (text), or undefined when the packet has no 0.9 form. Encoded once. */
  get legacy(): string | undefined {
    if (this.#legacy === undefined) this.#legacy = toLegacyText(this.packet) ?? null;
    return this.#legacy ?? undefined;
  }
}

function isEncoding(value: SocketPacket | SocketIoEncoding): value is SocketIoEncoding {
  return Array.isArray(value);
}

function decodeEncoding(parts: SocketIoEncoding): SocketPacket {
  const decoder = new SocketPacketDecoder({ maxAttachments: parts.length - 1 });
  let packet: SocketPacket | null = null;
  for (const part of parts) packet = decoder.add(part);
  if (packet === null) throw new TypeError('a Socket.IO encoding whose attachments are missing');
  return packet;
}
