/* eslint-disable @typescript-eslint/no-explicit-any */
import type { SocketLimits } from './socket-limits.js';
import createDebug from 'debug';
import { generateSessionId } from '../engine/session-id.js';
import { SocketPacketType } from '../protocol/socket-packet.js';
import type { Adapter, AdapterNamespace, RestoredSession, SocketId } from './adapter.js';
import { type BroadcastHost, BroadcastingNamespace } from './broadcasting-namespace.js';
import type { SocketClient } from './socket-client.js';
import type { SocketNamespace } from './socket-namespace.js';
import { isForeignAdapter } from './foreign-adapter.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { reportListenerError } from './report-listener-error.js';
import { Socket } from './socket.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

const log = createDebug('switchyard:realtime');

/** An error a middleware passes to `next` to refuse a connection; `data` reaches the client. */
export interface ExtendedError extends Error {
  data?: unknown;
}

export type NamespaceMiddleware<TListen extends EventsMap, TEmit extends EventsMap, TServerSide extends EventsMap, TData> = (
  socket: Socket<TListen, TEmit, TServerSide, TData>,
  next: (err?: ExtendedError) => void,
) => void;

export interface NamespaceReservedEvents<TListen extends EventsMap, TEmit extends EventsMap, TServerSide extends EventsMap, TData> {
  connect: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void;
  connection: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void;
}

/** What a namespace needs from the registry that owns it. */
export interface NamespaceHost extends BroadcastHost {
  /** Bounds on what one socket may hold (rooms, pending acknowledgements). */
  readonly limits: SocketLimits;
  /** Called when a namespace created for a dynamic parent has no socket left. */
  onEmpty(nsp: Namespace<any, any, any, any>): void;
  /** Called when a connection was refused and the namespace has no socket. */
  onRefused(nsp: Namespace<any, any, any, any>): void;
  /** Told when an acknowledgement a socket's client was asked for did not come in time. */
  readonly onAckTimeout?: ((namespace: string, socketId: string, broadcast: boolean) => void) | undefined;
}

/**
 * A namespace: its sockets, its middleware, its adapter (rooms and broadcasts), and broadcasts to all
 * of its sockets, as in socket.io. This file admits sockets (middleware, recovery, the CONNECT answer in
 * the client generation's rules); the broadcasting API an adapter also sees is in broadcasting-namespace.ts.
 */
export class Namespace<
    TListen extends EventsMap = DefaultEventsMap,
    TEmit extends EventsMap = DefaultEventsMap,
    TServerSide extends EventsMap = DefaultEventsMap,
    TData = any,
  >
  extends BroadcastingNamespace<TEmit, TServerSide, TData, NamespaceReservedEvents<TListen, TEmit, TServerSide, TData>>
  implements AdapterNamespace, SocketNamespace
{
  /** The sockets connected to this namespace in this process. */
  readonly sockets = new Map<SocketId, Socket<TListen, TEmit, TServerSide, TData>>();
  /** @internal The sockets whose connection middleware is still running (socket.io's name: add-ons read it). */
  readonly _preConnectSockets = new Map<SocketId, Socket<TListen, TEmit, TServerSide, TData>>();
  /** @internal */
  declare readonly host: NamespaceHost;
  /** @internal Shared with the children of a dynamic parent. */
  middlewares: NamespaceMiddleware<TListen, TEmit, TServerSide, TData>[] = [];
  /** Connections whose middleware is still running. */
  #admitting = 0;
  #adapter!: Adapter;
  readonly #createAdapter: ((nsp: Namespace<TListen, TEmit, TServerSide, TData>) => Adapter) | undefined;

  constructor(host: NamespaceHost, name: string, createAdapter?: (nsp: Namespace<TListen, TEmit, TServerSide, TData>) => Adapter) {
    super(host, name);
    this.#createAdapter = createAdapter;
    this._initAdapter();
  }

  /**
   * Rooms and broadcasts: an instance of the server's adapter class. That is one of ours, or one built on
   * socket.io-adapter (same methods; see foreign-adapter.ts for where their conventions differ).
   */
  get adapter(): Adapter {
    return this.#adapter;
  }

  /**
   * @internal Gives the namespace a new instance of the host's adapter class. The connected sockets keep
   * their rooms (socket.io would leave them in none, so unreachable); the previous adapter is closed.
   */
  _initAdapter(): void {
    const previous = this.#adapter as Adapter | undefined;
    // A socket.io-adapter class is not one of ours, but answers the same calls (see foreign-adapter.ts).
    // A factory function (socket.io's `createAdapter(…)`) is called with `new` too, as socket.io does: it returns its instance.
    const adapter = this.#createAdapter?.(this) ?? (new (this.host.adapter as new (nsp: this) => Adapter)(this));
    this.#adapter = adapter;
    if (this.host.recovery !== undefined && !isForeignAdapter(adapter)) adapter.enableRecovery(this.host.recovery);
    void adapter.init();
    if (previous === undefined) return;
    for (const id of this.sockets.keys()) adapter.addAll(id, new Set(previous.socketRooms(id)));
    void previous.close();
  }

  /** Adds a connection middleware: `next(err)` refuses the socket with a connect_error. */
  use(fn: NamespaceMiddleware<TListen, TEmit, TServerSide, TData>): this {
    this.middlewares.push(fn);
    return this;
  }

  /** @internal */
  localSocket(id: SocketId): Socket<TListen, TEmit, TServerSide, TData> | undefined {
    return this.sockets.get(id);
  }

  // ---- called by the registry and the sockets ----

  /** @internal Runs the middleware for a new socket (or restores a recovered one), then connects it or refuses it. */
  _add(client: SocketClient, auth: Record<string, unknown>, onConnected: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void): void {
    this.#admitting++;
    const { pid, offset } = auth;
    if (!this.#recoverable(client) || typeof pid !== 'string' || typeof offset !== 'string') {
      this.#admit(client, auth, undefined, onConnected);
      return;
    }
    // socket.io-adapter's base class answers null, not a promise; a throw is no session either.
    new Promise<RestoredSession | null>((resolve) => resolve(this.adapter.restoreSession(pid, offset))).then(
      (session) => this.#admit(client, auth, session ?? undefined, onConnected),
      () => this.#admit(client, auth, undefined, onConnected),
    );
  }

  /** Connection state recovery is for the generations that can ask for it (Socket.IO v5). */
  #recoverable(client: SocketClient): boolean {
    return this.host.recovery !== undefined && client.rules.recovers;
  }

  #admit(
    client: SocketClient,
    auth: Record<string, unknown>,
    restored: RestoredSession | undefined,
    onConnected: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void,
  ): void {
    const rules = client.rules;
    const id = restored?.sid ?? rules.socketId(this.name, client.id);
    const socket = new Socket<TListen, TEmit, TServerSide, TData>(this, client, auth, id);
    if (this.#recoverable(client)) socket.pid = restored?.pid ?? generateSessionId();
    if (restored !== undefined) {
      socket.data = restored.data as TData;
      socket.recovered = true;
    }
    const skip = this.middlewares.length === 0 || (restored !== undefined && this.host.recovery?.skipMiddlewares === true);
    const run = skip ? (done: (err?: ExtendedError) => void) => done() : (done: (err?: ExtendedError) => void) => this.#runMiddlewares(socket, done);
    this._preConnectSockets.set(socket.id, socket);
    run((err) => {
      this.#admitting--;
      this._preConnectSockets.delete(socket.id);
      if (client.conn.readyState !== 'open' || err !== undefined) {
        // Rooms joined in a middleware are left, and no room can be joined any more.
        socket._cleanup();
        if (log.enabled) log('refused socket=%s nsp=%s: %s', socket.id, this.name, err?.message ?? 'the connection closed meanwhile');
        if (err !== undefined && client.conn.readyState === 'open') {
          client.writePacket(new OutgoingPacket({ type: SocketPacketType.CONNECT_ERROR, nsp: this.name, data: rules.connectErrorPayload(err) }), {});
        }
        client._refused(this.name);
        if (this.sockets.size === 0 && this.#admitting === 0) this.host.onRefused(this);
        return;
      }
      this.sockets.set(socket.id, socket);
      socket._onConnect();
      if (restored !== undefined) {
        socket.join(restored.rooms);
        // Before the CONNECT, as socket.io sends them: the client keeps them until it is connected.
        for (const data of restored.missedPackets) {
          client.writePacket(new OutgoingPacket({ type: SocketPacketType.EVENT, nsp: this.name, data }), {});
        }
      }
      const data = rules.connectPayload(socket.id, socket.pid);
      client.writePacket(new OutgoingPacket({ type: SocketPacketType.CONNECT, nsp: this.name, ...(data === undefined ? {} : { data }) }), {});
      onConnected(socket);
      if (log.enabled) log('connect socket=%s nsp=%s sid=%s%s', socket.id, this.name, client.conn.id, restored === undefined ? '' : ' (recovered)');
      try {
        this.emitReserved('connect', socket);
        this.emitReserved('connection', socket);
      } catch (thrown) {
        reportListenerError(this.host.logger, { socket: socket.id, nsp: this.name, event: 'connection' }, thrown);
      }
    });
  }

  /** @internal */
  _remove(socket: { readonly id: SocketId }): void {
    if (this.sockets.get(socket.id) !== socket) return;
    this.sockets.delete(socket.id);
    if (this.sockets.size === 0) this.host.onEmpty(this);
  }

  #runMiddlewares(socket: Socket<TListen, TEmit, TServerSide, TData>, done: (err?: ExtendedError) => void): void {
    const fns = this.middlewares.slice();
    let index = 0;
    let finished = false;
    const next = (err?: ExtendedError): void => {
      if (finished) return;
      if (err !== undefined && err !== null) {
        finished = true;
        return done(err instanceof Error ? err : Object.assign(new Error(String(err)), { data: undefined }));
      }
      const fn = fns[index++];
      if (fn === undefined) {
        finished = true;
        return done();
      }
      try {
        fn(socket, next);
      } catch (thrown) {
        next(thrown instanceof Error ? thrown : new Error(String(thrown)));
      }
    };
    next();
  }
}
