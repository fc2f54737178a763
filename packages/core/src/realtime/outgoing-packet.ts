import { encodeSocketPacket, type SocketPacket } from '../protocol/socket-packet.js';

/**
 * A packet on its way out, encoded at most once per wire format however many sockets receive it.
 * A broadcast to a thousand sockets encodes once.
 */
export class OutgoingPacket {
  readonly packet: SocketPacket;
  #socketIo: [string, ...Buffer[]] | undefined;

  constructor(packet: SocketPacket) {
    this.packet = packet;
  }

  /** The Socket.IO (v4/v5) encoding: the text, then one Buffer per binary attachment. */
  get socketIo(): [string, ...Buffer[]] {
    return (this.#socketIo ??= encodeSocketPacket(this.packet));
  }
}
