import { checkValueDepth } from '../protocol/json-depth.js';
import type { SessionReceiver } from '../engine/connection.js';
import type { Session } from '../engine/session.js';
import type { CloseReason } from '../engine/transport.js';
import { invalidPacket, ProtocolError } from '../protocol/errors.js';
import type { SocketPacketDecoder} from '../protocol/socket-packet.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';
import type { BroadcastFlags } from './adapter.js';
import { BaseClient, type BaseClientHost } from './base-client.js';
import type { CustomCodec, CustomDecoder } from './custom-parser.js';
import { NO_AUTH } from './handshake.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { Socket } from './socket.js';

/** What a client needs from the server that owns it. */
export interface ClientHost extends BaseClientHost {
  readonly connectTimeout: number;
  /**
   * The decoder (with the server's maxAttachments, maxAttachmentBytes and maxNestingDepth) of every
   * client that is not in the middle of a binary packet; one that is gets a decoder of its own.
   */
  readonly socketPacketDecoder: SocketPacketDecoder;
  /** Deepest nesting of arrays and objects in a packet's data. */
  readonly maxNestingDepth: number;
  /** The `parser` option's parser, for the generations it applies to (Socket.IO v5); undefined for our own codec. */
  readonly codec: CustomCodec | undefined;
  /**
   * Connects the client to a namespace (creating a dynamic one if a parent matches). Calls back with
   * the socket once the namespace's middleware accepted it, or never if it refused (it answers the
   * client itself).
   */
  connect(client: Client, name: string, auth: Record<string, unknown>, onConnected: (socket: Socket) => void): void;
  /** The client's connection ended. */
  closed(client: Client): void;
}

/**
 * One Engine.IO connection speaking Socket.IO: decodes its packets, routes them to its sockets (one per
 * namespace) and writes theirs. A packet that does not parse is an `error` on every socket of the
 * connection, which then closes (`forced close`), as in socket.io.
 */
export class Client extends BaseClient<Session> implements SessionReceiver {
  readonly #host: ClientHost;
  /** Our decoder while a binary packet is half-received (the host's shared one otherwise). */
  #decoder: SocketPacketDecoder | undefined;
  /** The custom parser's decoder, when the server has one and this client's generation takes it. */
  readonly #customDecoder: CustomDecoder | undefined;
  /** The custom parser this client's packets are encoded with, if any. */
  readonly #codec: CustomCodec | undefined;
  /** Namespaces whose connection is under way (middleware running); made on first use. */
  #connecting: Set<string> | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  /** Namespaces the client left before their middleware finished. */
  #cancelled: Set<string> | undefined;

  constructor(conn: Session, host: ClientHost) {
    super(conn, host);
    this.#host = host;
    const codec = this.rules.customParser ? host.codec : undefined;
    this.#codec = codec;
    if (codec !== undefined) {
      this.#customDecoder = codec.decoder({ packet: (packet) => this.#route(packet), error: (err) => this.#fail(err) });
    }
    // Told of messages and of the end by the session itself: no listener closures on it.
    conn.receive(this);
    this.#connectTimer = setTimeout(Client.#onConnectTimeout, host.connectTimeout, this);
    // A Socket.IO v4 client (Engine.IO v3) never asks for `/`: it is connected as soon as it arrives.
    if (this.rules.autoConnectsRoot) queueMicrotask(() => this.#connect('/', NO_AUTH));
  }

  protected get connectingCount(): number {
    return this.#connecting?.size ?? 0;
  }

  /** Writes a packet (text then attachments) to the connection. */
  writePacket(packet: OutgoingPacket, flags: BroadcastFlags): void {
    const conn = this.session;
    if (conn.readyState !== 'open') return;
    if (flags.volatile === true && !conn.writable) return;
    // Throws ERR_REALTIME_UNENCODABLE to the emitter when the packet cannot be encoded.
    const messages = this.#codec === undefined ? packet.prepared : packet.preparedWith(this.#codec);
    for (let i = 0; i < messages.length; i++) conn.sendPrepared(messages[i]!, flags);
  }

  /**
   * Disconnects every socket of this connection as `socket.disconnect()` does (each client socket is
   * told, so it does not reconnect), then ends the connection.
   */
  disconnect(): void {
    for (const socket of [...this.socketsByNamespace.values()]) socket.disconnect();
    this.close();
  }

  /**
   * @internal A message of the connection (socket.io's name for it, which its tests call). What does not
   * decode is told to every socket as an `error`; then they leave (`forced close`) and the connection closes.
   */
  ondata(data: string | Buffer): void {
    if (this.#customDecoder === undefined) this.#onData(data);
    else this.#onCustomData(data);
  }

  #onData(data: string | Buffer): void {
    const own = this.#decoder;
    const decoder = own ?? this.#host.socketPacketDecoder;
    let packet: SocketPacket | null;
    try {
      checkMessage(data);
      packet = decoder.add(data);
    } catch (err) {
      // The decoder that threw has dropped what it held: the client starts over on the shared one.
      this.#decoder = undefined;
      if (!(err instanceof ProtocolError)) throw err;
      this.#fail(err);
      return;
    }
    if (packet === null) {
      // A binary packet waits for its attachments: they come to a decoder of this client's own.
      if (own === undefined) this.#decoder = decoder.handOff();
      return;
    }
    this.#decoder = undefined;
    this.#route(packet);
  }

  #onCustomData(data: string | Buffer): void {
    let packets: SocketPacket[];
    try {
      checkMessage(data);
      packets = this.#customDecoder!.add(data);
      // A custom parser decodes without our bound: its packets are checked as values.
      for (const packet of packets) checkValueDepth(packet.data, this.#host.maxNestingDepth);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#fail(err);
      return;
    }
    for (const packet of packets) {
      if (this.session.readyState !== 'open') return;
      this.#route(packet);
    }
  }

  /** What the peer sent does not decode: every socket is told, leaves (`forced close`), and the connection closes. */
  #fail(err: ProtocolError): void {
    for (const socket of [...this.socketsByNamespace.values()]) socket._onError(err);
    this.closeSockets('forced close');
    this.session.close();
  }

  #route(received: SocketPacket): void {
    const packet = this.rules.readIncoming(received);
    const socket = this.socketsByNamespace.get(packet.nsp);
    switch (packet.type) {
      case SocketPacketType.CONNECT:
        // A second CONNECT for a namespace the client is already in breaks the protocol, as in socket.io.
        if (socket !== undefined) this.close('parse error');
        else if (this.#connecting?.has(packet.nsp) !== true) this.#connect(packet.nsp, (packet.data ?? NO_AUTH) as Record<string, unknown>);
        return;
      case SocketPacketType.DISCONNECT:
        if (socket !== undefined) socket._onPacket(packet);
        else if (this.#connecting?.has(packet.nsp) === true) (this.#cancelled ??= new Set()).add(packet.nsp);
        return;
      case SocketPacketType.CONNECT_ERROR:
        // Only servers send CONNECT_ERROR.
        this.close('parse error');
        return;
      default:
        if (socket === undefined) {
          // An event for a namespace the client never joined (or already left): the client is confused.
          if (this.#connecting?.has(packet.nsp) !== true) this.close('parse error');
          return;
        }
        socket._onPacket(packet);
    }
  }

  #connect(name: string, auth: Record<string, unknown>): void {
    if (this.session.readyState !== 'open') return;
    (this.#connecting ??= new Set()).add(name);
    this.#host.connect(this, name, auth, (socket) => {
      this.#doneConnecting(name);
      this.socketsByNamespace.set(name, socket);
      clearTimeout(this.#connectTimer);
      this.#connectTimer = undefined;
      if (this.#cancelled?.delete(name) === true) {
        // The client left while the middleware ran: it leaves as soon as the connection listeners are done.
        queueMicrotask(() => socket._onClose('client namespace disconnect'));
      }
    });
  }

  /** @internal The host refused (or could not find) a namespace. */
  _refused(name: string): void {
    this.#doneConnecting(name);
    this.#cancelled?.delete(name);
  }

  /** An idle connection keeps no empty set of namespaces under way. */
  #doneConnecting(name: string): void {
    if (this.#connecting?.delete(name) === true && this.#connecting.size === 0) this.#connecting = undefined;
  }

  static #onConnectTimeout(client: Client): void {
    if (client.socketsByNamespace.size === 0) client.close('forced server close');
  }

  /** @internal The connection ended (told by the session, which then forgets this client). */
  onclose(reason: CloseReason): void {
    clearTimeout(this.#connectTimer);
    this.#decoder = undefined;
    this.#customDecoder?.destroy();
    this.closeSockets(reason);
    this.#host.closed(this);
  }
}

/** What the engine hands over is a string or a Buffer; anything else (`client.ondata(null)`) is a protocol error. */
function checkMessage(data: unknown): asserts data is string | Buffer {
  if (typeof data !== 'string' && !Buffer.isBuffer(data)) throw invalidPacket(`message of type ${data === null ? 'null' : typeof data}`);
}
