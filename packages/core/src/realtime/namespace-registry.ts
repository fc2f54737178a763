/* eslint-disable @typescript-eslint/no-explicit-any */
import createDebug from 'debug';
import { resolveSocketLimits, type SocketLimits } from './socket-limits.js';
import { nestingDepthOption } from '../protocol/json-depth.js';
import type { LegacySession } from '../engine/legacy/legacy-session.js';
import { consoleLogger, type Logger } from '../engine/logger.js';
import type { Session } from '../engine/session.js';
import { SocketPacketDecoder, SocketPacketType } from '../protocol/socket-packet.js';
import { Adapter, type RecoveryOptions } from './adapter.js';
import { Client, type ClientHost } from './client.js';
import { CustomCodec, type Parser } from './custom-parser.js';
import { type AdapterServerView, type AnyAdapterConstructor, socketIoEncoder } from './foreign-adapter.js';
import { NO_AUTH } from './handshake.js';
import { LegacyClient, type LegacyClientHost } from './legacy-client.js';
import { Namespace, type NamespaceHost } from './namespace.js';
import type { AnswerNodeRequest } from './node-request.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { type NamespaceMatcher, ParentNamespace } from './parent-namespace.js';
import type { Socket } from './socket.js';
import type { SocketClient } from './socket-client.js';

const log = createDebug('switchyard:realtime');

export interface RegistryOptions {
  /**
   * The adapter class every namespace gets: one of ours, or one built on npm socket.io-adapter.
   * Default: the in-process {@link Adapter}.
   */
  adapter?: AnyAdapterConstructor;
  /** Milliseconds a connection may stay without joining a namespace. Default 45000. */
  connectTimeout?: number;
  /** Most binary attachments in one packet. Default 10. */
  maxAttachments?: number;
  /** Most bytes the attachments of one packet may add up to. Default 1e6. */
  maxAttachmentBytes?: number;
  /** Deepest nesting of arrays and objects in a packet's data. Default 64. */
  maxNestingDepth?: number;
  /** Bounds on what one socket or connection may hold; see {@link SocketLimits}. */
  limits?: { [K in keyof SocketLimits]?: number | undefined };
  /** Drop a dynamic child namespace once its last socket leaves. Default false. */
  cleanupEmptyChildNamespaces?: boolean;
  /** Connection state recovery: sockets that drop come back with their id, rooms, data and missed packets. */
  connectionStateRecovery?: { maxDisconnectionDuration?: number; skipMiddlewares?: boolean };
  /**
   * A socket.io-parser-compatible parser for the Socket.IO v5 clients (Engine.IO v4); the other
   * generations keep their own wire. Default: our own codec.
   */
  parser?: Parser;
  /** What `nsp.server` and `socket.client.server` return: the Server that owns this registry. */
  owner?: unknown;
  /** Where errors of application code are logged (the Server's `logger`). Default: the console. */
  logger?: Logger;
  /** Told of every namespace created. */
  onNewNamespace?: (nsp: Namespace<any, any, any, any>) => void;
  /** Answers other nodes' requests (see node-request.ts), which otherwise go unanswered. */
  answerNodeRequest?: AnswerNodeRequest;
  /** Told when an acknowledgement a socket's client was asked for did not come in time (no answer, no disconnect). */
  onAckTimeout?: (namespace: string, socketId: string, broadcast: boolean) => void;
}

/**
 * All namespaces of one server: static ones by name, dynamic parents by RegExp or function. It turns
 * Engine.IO sessions into Socket.IO clients and connects them to namespaces.
 */
export class NamespaceRegistry implements ClientHost, LegacyClientHost, NamespaceHost {
  readonly namespaces = new Map<string, Namespace<any, any, any, any>>();
  /** Milliseconds a new connection may stay without joining a namespace (socket.io's `io.connectTimeout(v)` sets it). */
  connectTimeout: number;
  readonly maxNestingDepth: number;
  readonly socketPacketDecoder: SocketPacketDecoder;
  readonly limits: SocketLimits;
  readonly recovery: RecoveryOptions | undefined;
  readonly owner: unknown;
  /** Replaced when the Server is given another logger (`attach(srv, { logger })`). */
  logger: Logger;
  readonly answerNodeRequest: AnswerNodeRequest | undefined;
  readonly onAckTimeout: ((namespace: string, socketId: string, broadcast: boolean) => void) | undefined;
  readonly adapterServer: AdapterServerView;
  readonly codec: CustomCodec | undefined;
  #adapter: AnyAdapterConstructor;
  readonly #parents: ParentNamespace<any, any, any, any>[] = [];
  readonly #childParent = new Map<Namespace<any, any, any, any>, ParentNamespace<any, any, any, any>>();
  readonly #cleanupEmptyChildren: boolean;
  readonly #onNewNamespace: ((nsp: Namespace<any, any, any, any>) => void) | undefined;
  readonly #clients = new Set<Client | LegacyClient>();

  constructor(options: RegistryOptions = {}) {
    this.#adapter = options.adapter ?? Adapter;
    this.connectTimeout = options.connectTimeout ?? 45_000;
    this.maxNestingDepth = nestingDepthOption(options.maxNestingDepth);
    this.socketPacketDecoder = new SocketPacketDecoder({
      maxAttachments: options.maxAttachments ?? 10,
      maxAttachmentBytes: options.maxAttachmentBytes ?? 1e6,
      maxNestingDepth: this.maxNestingDepth,
    });
    this.limits = resolveSocketLimits(options.limits ?? {});
    this.#cleanupEmptyChildren = options.cleanupEmptyChildNamespaces ?? false;
    const recovery = options.connectionStateRecovery;
    this.recovery =
      recovery === undefined
        ? undefined
        : { maxDisconnectionDuration: recovery.maxDisconnectionDuration ?? 120_000, skipMiddlewares: recovery.skipMiddlewares ?? true };
    this.#onNewNamespace = options.onNewNamespace;
    this.owner = options.owner;
    this.logger = options.logger ?? consoleLogger;
    this.answerNodeRequest = options.answerNodeRequest;
    this.onAckTimeout = options.onAckTimeout;
    this.codec = options.parser === undefined ? undefined : new CustomCodec(options.parser);
    this.adapterServer = { encoder: this.codec?.encoder ?? socketIoEncoder, opts: { connectionStateRecovery: this.recovery } };
  }

  /** The adapter class of every namespace. */
  get adapter(): AnyAdapterConstructor {
    return this.#adapter;
  }

  /**
   * Switches to another adapter class: every namespace (the children of dynamic parents too) gets a fresh
   * instance now, and every later one too, as socket.io's `io.adapter(cls)` does. Rooms start empty.
   */
  useAdapter(adapter: AnyAdapterConstructor): void {
    this.#adapter = adapter;
    for (const nsp of this.namespaces.values()) nsp._initAdapter();
  }

  /** The namespace of that name, created on first use; or a dynamic parent for a RegExp or function. */
  of(name: string | RegExp | NamespaceMatcher): Namespace<any, any, any, any> {
    if (typeof name !== 'string') {
      const parent = new ParentNamespace<any, any, any, any>(this, name);
      this.#parents.push(parent);
      return parent;
    }
    const normalized = name.startsWith('/') ? name : '/' + name;
    const existing = this.namespaces.get(normalized);
    if (existing !== undefined) return existing;
    // A name a RegExp parent matches becomes its child, as if a client had asked for it first.
    const parent = this.#parents.find((candidate) => candidate.matchesName(normalized));
    if (parent !== undefined) return this.#createChild(parent, normalized);
    const nsp = new Namespace(this, normalized);
    this.namespaces.set(normalized, nsp);
    this.#onNewNamespace?.(nsp);
    return nsp;
  }

  /** Makes a Socket.IO client of a new Engine.IO session. */
  accept(session: Session): Client {
    const client = new Client(session, this);
    this.#clients.add(client);
    return client;
  }

  /** Makes a Socket.IO client of a new 0.9 session: it joins `/` at once. */
  acceptLegacy(session: LegacySession): LegacyClient {
    const client = new LegacyClient(session, this);
    this.#clients.add(client);
    return client;
  }

  connect(client: SocketClient, name: string, auth: Record<string, unknown>, onConnected: (socket: Socket) => void): void {
    // The count includes this namespace, which the client already marked as connecting.
    if (client.namespaceCount > this.limits.maxNamespacesPerClient) {
      return this.#refuse(client, name, `too many namespaces (maxNamespacesPerClient ${this.limits.maxNamespacesPerClient})`);
    }
    const existing = this.namespaces.get(name);
    if (existing !== undefined) return existing._add(client, auth, onConnected);
    // A parent's matcher is application code: it gets the object that becomes `handshake.auth`.
    const own = auth === NO_AUTH ? {} : auth;
    this.#matchParent(name, own, 0, (parent) => {
      if (parent === undefined) return this.#refuse(client, name, 'Invalid namespace');
      const nsp = this.namespaces.get(name) ?? this.#createChild(parent, name);
      nsp._add(client, own, onConnected);
    });
  }

  /** Answers a CONNECT with CONNECT_ERROR and `message`. */
  #refuse(client: SocketClient, name: string, message: string): void {
    if (log.enabled) log('refused nsp=%s sid=%s: %s', name, client.conn.id, message);
    client.writePacket(new OutgoingPacket({ type: SocketPacketType.CONNECT_ERROR, nsp: name, data: { message } }), {});
    client._refused(name);
  }

  #createChild(parent: ParentNamespace<any, any, any, any>, name: string): Namespace<any, any, any, any> {
    const nsp = parent.createChild(name);
    this.namespaces.set(name, nsp);
    this.#childParent.set(nsp, parent);
    this.#onNewNamespace?.(nsp);
    return nsp;
  }

  closed(client: Client | LegacyClient): void {
    this.#clients.delete(client);
  }

  onEmpty(nsp: Namespace<any, any, any, any>): void {
    if (this.#cleanupEmptyChildren) this.#dropChild(nsp);
  }

  /**
   * A dynamic child left without a socket because its middleware refused the connection: dropped only
   * with cleanupEmptyChildNamespaces, as in socket.io (without it, every refused name stays).
   */
  onRefused(nsp: Namespace<any, any, any, any>): void {
    this.onEmpty(nsp);
  }

  #dropChild(nsp: Namespace<any, any, any, any>): void {
    const parent = this.#childParent.get(nsp);
    if (parent === undefined) return;
    this.#childParent.delete(nsp);
    parent.children.delete(nsp);
    if (this.namespaces.get(nsp.name) === nsp) this.namespaces.delete(nsp.name);
    void nsp.adapter.close();
  }

  /** Closes every client and every adapter. */
  async close(): Promise<void> {
    for (const client of [...this.#clients]) client.close('server shutting down');
    const adapters = [...this.namespaces.values(), ...this.#parents].map((nsp) => nsp.adapter.close());
    await Promise.all(adapters);
  }

  #matchParent(
    name: string,
    auth: Record<string, unknown>,
    index: number,
    done: (parent: ParentNamespace<any, any, any, any> | undefined) => void,
  ): void {
    const parent = this.#parents[index];
    if (parent === undefined) return done(undefined);
    parent.matches(name, auth, (accepted) => {
      if (accepted) done(parent);
      else this.#matchParent(name, auth, index + 1, done);
    });
  }
}
