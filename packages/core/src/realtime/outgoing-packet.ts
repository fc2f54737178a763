import { PreparedMessage } from '../engine/prepared-message.js';
import { encodeSocketPacket, type SocketPacket } from '../protocol/socket-packet.js';
import { toLegacyText } from './legacy-wire.js';

/**
 * A packet on its way out, encoded at most once per wire format however many sockets receive it.
 * A broadcast to a thousand sockets encodes once.
 */
export class OutgoingPacket {
  readonly packet: SocketPacket;
  /** Whether the packet goes to several sockets (a broadcast). */
  readonly #shared: boolean;
  #socketIo: [string, ...Buffer[]] | undefined;
  #prepared: PreparedMessage[] | undefined;
  #legacy: string | null | undefined;

  constructor(packet: SocketPacket, shared = false) {
    this.packet = packet;
    this.#shared = shared;
  }

  /** The Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
  get socketIo(): [string, ...Buffer[]] {
    return (this.#socketIo ??= encodeSocketPacket(this.packet));
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
