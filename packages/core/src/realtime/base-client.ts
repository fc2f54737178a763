/* eslint-disable @typescript-eslint/no-explicit-any */
import type { IncomingMessage } from 'node:http';
import type { Connection } from '../engine/connection.js';
import type { LegacySession } from '../engine/legacy/legacy-session.js';
import type { Session } from '../engine/session.js';
import type { BroadcastFlags } from './broadcast-options.js';
import type { CustomCodec, EncodedPacket } from './custom-parser.js';
import { type PreEncodedOptions, preEncodedPacket } from './foreign-adapter.js';
import { NamespaceSockets } from './namespace-sockets.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { ClientSocket, SocketClient } from './socket-client.js';
import type { DisconnectReason, Socket } from './socket.js';
import { rulesOf, type SocketIoRules } from './socket-io-rules.js';

/** What every client needs from the server that owns it. */
export interface BaseClientHost {
  /** The Server the client belongs to. */
  readonly owner: unknown;
  /** The `parser` option's parser: what adapters encode broadcasts with (see {@link BaseClient.writeToEngine}). */
  readonly codec: CustomCodec | undefined;
}

/**
 * What the clients of every generation share: the connection under them, and their sockets by namespace
 * name (one per namespace) with how they leave. {@link Client} speaks Engine.IO and Socket.IO v4/v5,
 * {@link LegacyClient} the 0.9 protocol; each decodes and writes its own wire.
 */
export abstract class BaseClient<TSession extends Session | LegacySession> implements SocketClient {
  /** @internal The same session, with what only this client's own wire writes through. */
  protected readonly session: TSession;
  /** @internal What this client's generation does (socket ids, CONNECT payloads, recovery…), chosen once here. */
  readonly rules: SocketIoRules;
  /** Namespace name → socket (no Map while there is one). */
  protected readonly socketsByNamespace = new NamespaceSockets<Socket>();
  readonly #host: BaseClientHost;

  constructor(session: TSession, host: BaseClientHost) {
    this.session = session;
    this.rules = rulesOf(session);
    this.#host = host;
  }

  /** The peer's address, as its session read it while the request that opened it was still connected. */
  get address(): string {
    return this.session.remoteAddress;
  }

  /** The session under the sockets, as `socket.conn` shows it. */
  get conn(): Connection {
    // Both session classes are EventEmitters whose events extend ConnectionEvents; TypeScript cannot
    // follow node's generic emitter types that far.
    return this.session as unknown as Connection;
  }

  get id(): string {
    return this.conn.id;
  }

  /** The HTTP request that opened the connection. */
  get request(): IncomingMessage {
    return this.conn.request;
  }

  /** The Server this client belongs to. */
  get server(): any {
    return this.#host.owner;
  }

  /** Namespaces this connection is in or joining. */
  get namespaceCount(): number {
    return this.socketsByNamespace.size + this.connectingCount;
  }

  /** Namespaces whose connection is under way (middleware running). */
  protected abstract get connectingCount(): number;

  abstract writePacket(packet: OutgoingPacket, flags: BroadcastFlags): void;

  /**
   * `encoded` is in the server's encoding (the custom parser's when there is one), whatever this client
   * speaks: decoded and translated once per broadcast, whatever the number of clients.
   */
  writeToEngine(encoded: EncodedPacket, opts: PreEncodedOptions): void {
    this.writePacket(preEncodedPacket(encoded, this.#host.codec), opts);
  }

  abstract disconnect(): void;

  /** Ends the whole connection: every socket of it leaves its namespace. */
  close(reason: DisconnectReason = 'forced server close'): void {
    this.closeSockets(reason);
    this.conn.close();
  }

  /** @internal A socket of this client left its namespace. */
  _remove(socket: ClientSocket): void {
    if (this.socketsByNamespace.get(socket.nsp.name) === socket) this.socketsByNamespace.delete(socket.nsp.name);
  }

  /** @internal The host refused (or could not find) a namespace. */
  abstract _refused(name: string): void;

  /** Every socket of this client leaves its namespace for `reason`. */
  protected closeSockets(reason: DisconnectReason): void {
    const sockets = this.socketsByNamespace;
    for (const socket of [...sockets.values()]) socket._onClose(reason);
    sockets.clear();
  }
}
