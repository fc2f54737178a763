import type { LegacySession } from '../engine/legacy/legacy-session.js';
import type { Session } from '../engine/session.js';
import type { BroadcastFlags } from './adapter.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { Socket } from './socket.js';

/**
 * What a socket and its namespace need from the connection under them, whatever protocol generation
 * it speaks: {@link Client} (Engine.IO, Socket.IO v4/v5) and {@link LegacyClient} (the 0.9 protocol).
 */
export interface SocketClient {
  readonly id: string;
  /** The session under the sockets: an Engine.IO session, or a 0.9 one (`conn.protocol === 1`). */
  readonly conn: Session | LegacySession;
  /** The peer's address. */
  readonly address: string;
  /** Writes a packet in this client's wire format. */
  writePacket(packet: OutgoingPacket, flags: BroadcastFlags): void;
  /** Disconnects every socket of this connection, then ends it. */
  disconnect(): void;
  /** @internal A socket of this client left its namespace. */
  _remove(socket: Socket): void;
  /** @internal The host refused (or could not find) a namespace. */
  _refused(name: string): void;
}
