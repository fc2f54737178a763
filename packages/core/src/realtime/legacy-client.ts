import { parse as parseQueryString } from 'node:querystring';
import type { LegacySession } from '../engine/legacy/legacy-session.js';
import type { CloseReason } from '../engine/transport.js';
import { encodeLegacyPacket, type LegacyPacket, LegacyPacketType } from '../protocol/legacy-packet.js';
import { RESERVED_EVENTS, type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import type { BroadcastFlags } from './adapter.js';
import { BaseClient, type BaseClientHost } from './base-client.js';
import { MAX_EARLY_PACKETS, tooManyEarlyPacketsError } from './errors.js';
import { endpointOf, LEGACY_WIRE, namespaceOf } from './legacy-wire.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { SocketClient } from './socket-client.js';
import type { Socket } from './socket.js';
import { requestInfoOf } from '../engine/retained-request.js';

/** What a 0.9 client needs from the server that owns it (the namespace registry). */
export interface LegacyClientHost extends BaseClientHost {
  /** Connects the client to a namespace; calls back with the socket once its middleware accepted it. */
  connect(client: SocketClient, name: string, auth: Record<string, unknown>, onConnected: (socket: Socket) => void): void;
  /** The client's connection ended. */
  closed(client: LegacyClient): void;
}


/**
 * One 0.9 session speaking to the same namespaces as every other generation: `''` is `/` (joined as
 * soon as the transport opens), `1::/chat` joins `/chat` (echoed once accepted), events, message and
 * json packets reach the sockets, and whatever the sockets send is written in the 0.9 format.
 */
export class LegacyClient extends BaseClient<LegacySession> {
  readonly #host: LegacyClientHost;
  /** Namespaces whose middleware runs, with the packets that came for them meanwhile. */
  readonly #connecting = new Map<string, LegacyPacket[]>();

  constructor(conn: LegacySession, host: LegacyClientHost) {
    super(conn, host);
    this.#host = host;
    conn.on('legacyPacket', this.#onPacket);
    conn.on('close', this.#onConnClose);
    // `''` is joined as soon as the transport opens, with the handshake's query as auth.
    if (this.rules.autoConnectsRoot) this.#connect('/', this.#handshakeQuery());
  }

  protected get connectingCount(): number {
    return this.#connecting.size;
  }

  writePacket(packet: OutgoingPacket, flags: BroadcastFlags): void {
    const conn = this.session;
    if (conn.readyState !== 'open') return;
    if (flags.volatile === true && !conn.writable) return;
    const { type, nsp } = packet.packet;
    if (type === SocketPacketType.DISCONNECT && nsp === '/') {
      // `0::` ends the whole 0.9 client: so does the server, once the socket has left.
      queueMicrotask(() => this.close());
      return;
    }
    const text = packet.encodedFor(LEGACY_WIRE); // throws ERR_REALTIME_UNENCODABLE to the emitter
    if (text !== undefined) conn.send(text);
  }

  disconnect(): void {
    for (const socket of [...this.socketsByNamespace.values()]) if (socket.nsp.name !== '/') socket.disconnect();
    // Ends the whole connection (`0::`).
    this.close();
  }

  /** @internal */
  _refused(name: string): void {
    this.#connecting.delete(name);
  }

  readonly #onPacket = (packet: LegacyPacket): void => {
    const name = namespaceOf(packet.endpoint);
    if (packet.type === LegacyPacketType.CONNECT) {
      if (!this.socketsByNamespace.has(name) && !this.#connecting.has(name)) {
        this.#connect(name, packet.query === undefined || packet.query === '' ? this.#handshakeQuery() : queryOf(packet.query));
      }
      return;
    }
    if (packet.type === LegacyPacketType.DISCONNECT && packet.endpoint === '') {
      // `0::`: the client leaves altogether.
      this.closeSockets('client namespace disconnect');
      this.session.close();
      return;
    }
    const socket = this.socketsByNamespace.get(name);
    if (socket !== undefined) return this.#deliver(socket, packet);
    // Anything for a namespace the client never joined is dropped.
    const early = this.#connecting.get(name);
    if (early === undefined) return;
    // A disconnect is kept once in a row (a client repeating it gains nothing); past the bound anything else
    // closes the session: a client that will not wait for its namespace is not buffered for.
    if (packet.type === LegacyPacketType.DISCONNECT) {
      if (early.at(-1)?.type !== LegacyPacketType.DISCONNECT) early.push(packet);
    } else if (early.length < MAX_EARLY_PACKETS) {
      early.push(packet);
    } else {
      this.#connecting.clear();
      this.session.shutdown('forced close', tooManyEarlyPacketsError(name, 'middleware'));
    }
  };

  /**
   * A 0.9 client has no auth payload: a namespace sees the query of the connect packet when it has one
   * (`1::/chat:?token=x`), or else the handshake's (`io.connect(url, { query: 'token=x' })`).
   */
  #handshakeQuery(): Record<string, unknown> {
    const url = requestInfoOf(this.session)?.url ?? '';
    const q = url.indexOf('?');
    const query = q === -1 ? {} : queryOf(url.slice(q + 1));
    delete query.t;
    delete query.jsonp;
    return query;
  }

  #connect(name: string, auth: Record<string, unknown>): void {
    this.#connecting.set(name, []);
    this.#host.connect(this, name, auth, (socket) => {
      const early = this.#connecting.get(name) ?? [];
      this.#connecting.delete(name);
      this.socketsByNamespace.set(name, socket);
      // Replayed once the connection listeners have run, so that they see the first events. Events reach
      // the listeners a tick after they are delivered (as in socket.io), so a disconnect the client sent
      // after them waits that tick too, or it would drop them.
      if (early.length > 0) queueMicrotask(() => early.forEach((packet) => this.#replay(socket, packet)));
    });
  }

  #replay(socket: Socket, packet: LegacyPacket): void {
    if (packet.type === LegacyPacketType.DISCONNECT) process.nextTick(() => socket.connected && this.#deliver(socket, packet));
    else if (socket.connected) this.#deliver(socket, packet);
  }

  #deliver(socket: Socket, packet: LegacyPacket): void {
    const nsp = socket.nsp.name;
    switch (packet.type) {
      case LegacyPacketType.DISCONNECT:
        socket._onPacket({ type: SocketPacketType.DISCONNECT, nsp });
        return;
      case LegacyPacketType.MESSAGE:
      case LegacyPacketType.JSON:
        return this.#event(socket, packet, ['message', packet.data]);
      case LegacyPacketType.EVENT:
        // Names only the library may emit are not the client's to send.
        if (RESERVED_EVENTS.has(packet.name)) return;
        return this.#event(socket, packet, [packet.name, ...packet.args]);
      case LegacyPacketType.ACK:
        socket._onPacket({ type: SocketPacketType.ACK, nsp, id: packet.ackId, data: packet.args ?? [] });
        return;
      default:
        // Errors and connects for a joined namespace mean nothing here.
        return;
    }
  }

  /** `id+` hands the listener an ack function; a bare `id` is acknowledged at once (`6::<ep>:<id>`). */
  #event(socket: Socket, packet: LegacyPacket, data: unknown[]): void {
    const event: SocketPacket = { type: SocketPacketType.EVENT, nsp: socket.nsp.name, data };
    if (packet.id !== undefined) {
      if (packet.ackData === true) event.id = packet.id;
      else this.session.send(encodeLegacyPacket({ type: LegacyPacketType.ACK, endpoint: endpointOf(socket.nsp.name), ackId: packet.id }));
    }
    socket._onPacket(event);
  }

  readonly #onConnClose = (reason: CloseReason): void => {
    this.session.off('legacyPacket', this.#onPacket);
    this.session.off('close', this.#onConnClose);
    this.#connecting.clear();
    this.closeSockets(reason);
    this.#host.closed(this);
  };
}

/** The query of a namespace connect (`1::/chat:?token=x`) as the socket's auth object. */
function queryOf(query: string | undefined): Record<string, unknown> {
  if (query === undefined || query === '') return {};
  return { ...parseQueryString(query.startsWith('?') ? query.slice(1) : query) };
}
