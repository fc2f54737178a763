/* eslint-disable @typescript-eslint/no-explicit-any */
import type { IncomingMessage } from 'node:http';
import type { Connection } from '../engine/connection.js';
import type { BroadcastFlags } from './adapter.js';
import type { PreEncodedOptions } from './foreign-adapter.js';
import type { EncodedPacket } from './custom-parser.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { SocketIoRules } from './socket-io-rules.js';

/** What a connection knows of a socket on it: the namespace it is in. */
export interface ClientSocket {
  readonly nsp: { readonly name: string };
}

/**
 * What a socket and its namespace need from the connection under them, whatever protocol generation
 * it speaks: {@link Client} (Engine.IO, Socket.IO v4/v5) and {@link LegacyClient} (the 0.9 protocol),
 * both built on {@link BaseClient}.
 */
export interface SocketClient {
  readonly id: string;
  /** The session under the sockets (`socket.conn`), whatever generation the client is. */
  readonly conn: Connection;
  /** @internal What the client's generation does when it joins a namespace (see socket-io-rules.ts). */
  readonly rules: SocketIoRules;
  /** The peer's address. */
  readonly address: string;
  /** The HTTP request that opened the connection. */
  readonly request: IncomingMessage;
  /** The Server the connection belongs to. */
  readonly server: any;
  /** Namespaces this connection is in or joining. */
  readonly namespaceCount: number;
  /** Writes a packet in this client's wire format. */
  writePacket(packet: OutgoingPacket, flags: BroadcastFlags): void;
  /**
   * socket.io's `client.writeToEngine`: writes a packet an adapter built on socket.io-adapter encoded
   * (once for the whole broadcast, with `io.encoder`: the Socket.IO v5 encoding, or the `parser` option's),
   * in this client's wire format.
   */
  writeToEngine(encoded: EncodedPacket, opts: PreEncodedOptions): void;
  /** Disconnects every socket of this connection, then ends it. */
  disconnect(): void;
  /** @internal A socket of this client left its namespace. */
  _remove(socket: ClientSocket): void;
  /** @internal The host refused (or could not find) a namespace. */
  _refused(name: string): void;
}
