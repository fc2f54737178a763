/* eslint-disable @typescript-eslint/no-explicit-any */
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { attachToHttpServer } from '../engine/attach.js';
import type { Engine } from '../engine/engine.js';
import { EngineError, EngineErrorCode } from '../engine/errors.js';
import type { LegacyEngine } from '../engine/legacy/legacy-engine.js';
import type { Rooms } from '../realtime/adapter.js';
import type { BroadcastOperator, RemoteSocket } from '../realtime/broadcast-operator.js';
import type { NamespaceClass } from '../realtime/class-namespace.js';
import type { AnyAdapterConstructor } from '../realtime/foreign-adapter.js';
import type { Namespace, NamespaceMiddleware } from '../realtime/namespace.js';
import { NamespaceRegistry } from '../realtime/namespace-registry.js';
import type { NamespaceMatcher, ParentNamespace } from '../realtime/parent-namespace.js';
import type { Socket } from '../realtime/socket.js';
import type {
  AckResult,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  DefaultEventsMap,
  EventNames,
  EventParams,
  EventParamsWithoutAck,
  EventsMap,
} from '../realtime/typed-events.js';
import { ClassNamespaces } from './class-namespaces.js';
import { Endpoint } from './endpoint.js';
import type { NodeHttpHandler } from './node-http-handler.js';
import { serveClientFile } from './serve-client.js';
import type { ServerOptions } from './server-options.js';

/**
 * The socket.io `Server`: `new Server(httpServer?, options)`, `io.of('/chat')`, `io.on('connection')`,
 * `io.to(room).emit(…)`. It is also a framework-free node-http handler, which every framework adapter
 * mounts.
 */
export class Server<
  TListen extends EventsMap = DefaultEventsMap,
  TEmit extends EventsMap = DefaultEventsMap,
  TServerSide extends EventsMap = DefaultEventsMap,
  TData = any,
> implements NodeHttpHandler {
  readonly engine: Engine;
  /** The 0.9 protocol's engine, unless `protocol09: false`. */
  readonly legacyEngine: LegacyEngine | undefined;
  /** The main namespace, `/`. */
  readonly sockets: Namespace<TListen, TEmit, TServerSide, TData>;
  readonly #registry: NamespaceRegistry;
  readonly #options: ServerOptions;
  readonly #newNamespaceListeners = new Set<(nsp: Namespace<TListen, TEmit, TServerSide, TData>) => void>();
  readonly #classes = new ClassNamespaces();
  readonly #endpoint: Endpoint;
  #httpServer: HttpServer | undefined;
  #ownsHttpServer = false;
  #detach: (() => void) | undefined;

  constructor(options?: ServerOptions);
  constructor(srv: HttpServer | number, options?: ServerOptions);
  constructor(srv?: HttpServer | number | ServerOptions, options: ServerOptions = {}) {
    if (srv !== undefined && typeof srv === 'object' && !isHttpServer(srv)) {
      options = srv;
      srv = undefined;
    }
    this.#options = options;
    this.#endpoint = new Endpoint(options);
    this.engine = this.#endpoint.engine;
    this.legacyEngine = this.#endpoint.legacyEngine;
    this.#registry = new NamespaceRegistry({
      ...(options.adapter !== undefined && { adapter: options.adapter }),
      ...(options.connectTimeout !== undefined && { connectTimeout: options.connectTimeout }),
      ...(options.maxAttachments !== undefined && { maxAttachments: options.maxAttachments }),
      maxAttachmentBytes: this.engine.options.maxHttpBufferSize,
      ...(options.cleanupEmptyChildNamespaces !== undefined && { cleanupEmptyChildNamespaces: options.cleanupEmptyChildNamespaces }),
      ...(options.connectionStateRecovery !== undefined && { connectionStateRecovery: options.connectionStateRecovery }),
      onNewNamespace: (nsp) => {
        for (const listener of this.#newNamespaceListeners) listener(nsp);
      },
    });
    this.sockets = this.#registry.of('/');
    this.engine.on('connection', (session) => {
      this.#classes.bind(session);
      this.#registry.accept(session);
    });
    this.legacyEngine?.on('connection', (session) => {
      this.#classes.bind(session);
      this.#registry.acceptLegacy(session);
    });
    if (typeof srv === 'number') this.listen(srv);
    else if (srv !== undefined) this.attach(srv as HttpServer);
    options.router?.bind(this);
  }

  /** The path clients connect to, with a trailing slash. */
  get path(): string {
    return this.engine.options.path;
  }

  /** Takes over the requests under the path on `srv` (a port number creates a server and listens). */
  attach(srv: HttpServer | number): this {
    if (typeof srv === 'number') return this.listen(srv);
    if (this.#detach !== undefined) throw new EngineError(EngineErrorCode.ALREADY_ATTACHED, 'this server is already attached to a server');
    this.#httpServer = srv;
    this.#ownsHttpServer = false;
    this.#endpoint.open();
    this.#detach = attachToHttpServer(srv, this);
    return this;
  }

  /** Creates an http server, attaches to it and listens on `port`. */
  listen(port: number): this {
    const srv = createServer();
    this.attach(srv);
    this.#ownsHttpServer = true;
    srv.listen(port);
    return this;
  }

  /** The http server this instance is attached to, if any. */
  get httpServer(): HttpServer | undefined {
    return this.#httpServer;
  }

  /**
   * Answers a request under the path and returns true, or returns false and touches nothing.
   * `context` is what the framework hands the namespaces as their `request` (its own request object).
   */
  handleRequest(req: IncomingMessage, res: ServerResponse, context?: unknown): boolean {
    if (this.#options.serveClient !== false && serveClientFile(this.path, req, res)) return true;
    if (this.#endpoint.forwardRequest(req, res)) return true;
    if (context !== undefined && this.engine.matches(req.url ?? '')) this.#classes.rememberContext(req, context);
    return this.#endpoint.handleRequest(req, res);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, context?: unknown): boolean {
    if (this.#endpoint.forwardUpgrade(req, socket, head)) return true;
    if (context !== undefined && this.engine.matches(req.url ?? '')) this.#classes.rememberContext(req, context);
    return this.#endpoint.handleUpgrade(req, socket, head);
  }

  /**
   * The framework's request object the socket's connection was opened with (Koa's `ctx`, Fastify's or
   * Hapi's `request`: the `context` an adapter hands in), or `socket.request` when none was handed in.
   */
  requestOf<T = unknown>(socket: Socket<TListen, TEmit, TServerSide, TData>): T {
    return this.#classes.requestOf(socket as Socket) as T;
  }

  /**
   * Serves a namespace with a class (gevent-socketio's model): one instance per connecting socket, one
   * method per event, method-level ACLs.
   */
  register(name: string, Class: NamespaceClass): Namespace<TListen, TEmit, TServerSide, TData> {
    const nsp = this.of(name);
    this.#classes.register(nsp, Class);
    return nsp;
  }

  /**
   * gevent-socketio's `socketio_manage`, for a framework that routes requests itself: answers this
   * request and gives the connection it belongs to these namespace classes and this request object.
   * Returns false when the request is not under the path.
   */
  manage(
    req: IncomingMessage,
    res: ServerResponse,
    namespaces: Readonly<Record<string, NamespaceClass>>,
    request?: unknown,
  ): boolean {
    if (!this.engine.matches(req.url ?? '')) return false;
    for (const name of Object.keys(namespaces)) this.#classes.guard(this.of(name));
    this.#classes.rememberManaged(req, namespaces);
    return this.handleRequest(req, res, request);
  }

  /** A namespace by name, or a dynamic parent by RegExp or function; `fn` is added as a connection listener. */
  of(name: string | RegExp | NamespaceMatcher, fn?: (socket: any) => void): Namespace<TListen, TEmit, TServerSide, TData> {
    const nsp = this.#registry.of(name) as Namespace<TListen, TEmit, TServerSide, TData>;
    if (fn !== undefined) nsp.on('connection', fn);
    return nsp;
  }

  /**
   * The adapter class (no argument), or sets it (one of ours, or one built on npm socket.io-adapter) for
   * every namespace, existing ones included, and every later one, as socket.io's `io.adapter(cls)` does.
   */
  adapter(): AnyAdapterConstructor;
  adapter(adapter: AnyAdapterConstructor): this;
  adapter(adapter?: AnyAdapterConstructor): AnyAdapterConstructor | this {
    if (adapter === undefined) return this.#registry.adapter;
    this.#registry.useAdapter(adapter);
    return this;
  }

  /** Every namespace, by name. */
  get namespaces(): ReadonlyMap<string, Namespace<TListen, TEmit, TServerSide, TData> | ParentNamespace<TListen, TEmit, TServerSide, TData>> {
    return this.#registry.namespaces;
  }

  /**
   * Listens on the main namespace (`connection`, and server-side events from other nodes), or to
   * `new_namespace` on the server itself.
   */
  on(ev: 'new_namespace', listener: (nsp: Namespace<TListen, TEmit, TServerSide, TData>) => void): this;
  on(ev: 'connection' | 'connect', listener: (socket: Socket<TListen, TEmit, TServerSide, TData>) => void): this;
  on<TEv extends EventNames<TServerSide>>(ev: TEv, listener: TServerSide[TEv]): this;
  on(ev: string, listener: (...args: any[]) => void): this {
    if (ev === 'new_namespace') this.#newNamespaceListeners.add(listener);
    else this.#main.on(ev, listener);
    return this;
  }

  once(ev: string, listener: (...args: any[]) => void): this {
    if (ev === 'new_namespace') {
      const wrapped = (nsp: Namespace<TListen, TEmit, TServerSide, TData>): void => {
        this.#newNamespaceListeners.delete(wrapped);
        listener(nsp);
      };
      this.#newNamespaceListeners.add(wrapped);
    } else {
      this.#main.once(ev, listener);
    }
    return this;
  }

  off(ev: string, listener: (...args: any[]) => void): this {
    if (ev === 'new_namespace') this.#newNamespaceListeners.delete(listener);
    else this.#main.off(ev, listener);
    return this;
  }

  /** The main namespace as a plain emitter, for listeners of any event name. */
  get #main(): EventEmitter {
    return this.sockets;
  }

  /** Adds a connection middleware to the main namespace. */
  use(fn: NamespaceMiddleware<TListen, TEmit, TServerSide, TData>): this {
    this.sockets.use(fn);
    return this;
  }

  to(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.to(rooms);
  }

  in(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.in(rooms);
  }

  except(rooms: Rooms): BroadcastOperator<TEmit, TData> {
    return this.sockets.except(rooms);
  }

  compress(compress: boolean): BroadcastOperator<TEmit, TData> {
    return this.sockets.compress(compress);
  }

  get volatile(): BroadcastOperator<TEmit, TData> {
    return this.sockets.volatile;
  }

  get local(): BroadcastOperator<TEmit, TData> {
    return this.sockets.local;
  }

  timeout(ms: number): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TEmit>, TData> {
    return this.sockets.timeout(ms);
  }

  emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    return this.sockets.emit(ev, ...args);
  }

  emitWithAck<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParamsWithoutAck<TEmit, TEv>): Promise<AckResult<TEmit, TEv>> {
    return this.sockets.emitWithAck(ev, ...args);
  }

  send(...args: unknown[]): this {
    this.sockets.send(...args);
    return this;
  }

  write(...args: unknown[]): this {
    return this.send(...args);
  }

  serverSideEmit<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParams<TServerSide, TEv>): boolean {
    return this.sockets.serverSideEmit(ev, ...args);
  }

  serverSideEmitWithAck<TEv extends EventNames<TServerSide>>(ev: TEv, ...args: EventParamsWithoutAck<TServerSide, TEv>): Promise<unknown[]> {
    return this.sockets.serverSideEmitWithAck(ev, ...args);
  }

  fetchSockets(): Promise<RemoteSocket<TEmit, TData>[]> {
    return this.sockets.fetchSockets();
  }

  socketsJoin(rooms: Rooms): void {
    this.sockets.socketsJoin(rooms);
  }

  socketsLeave(rooms: Rooms): void {
    this.sockets.socketsLeave(rooms);
  }

  disconnectSockets(close = false): void {
    this.sockets.disconnectSockets(close);
  }

  /**
   * socket.io's close: everything {@link shutdown} does, then the http server this instance is attached
   * to (created with `listen(port)` or handed in) is closed too. `fn` gets that close's error
   * (`ERR_SERVER_NOT_RUNNING` when it was not listening); the promise resolves either way. The same Server
   * may `attach` or `listen` again afterwards.
   */
  async close(fn?: (err?: Error) => void): Promise<void> {
    const srv = this.#httpServer;
    const owned = this.#ownsHttpServer;
    await this.shutdown();
    if (srv === undefined) {
      fn?.();
      return;
    }
    await new Promise<void>((resolve) => {
      srv.close((err) => {
        fn?.(err);
        resolve();
      });
      // Keep-alive connections that carried polls would hold the close open; a server we created has no other.
      if (owned) srv.closeAllConnections();
      else srv.closeIdleConnections();
    });
  }

  /**
   * Disconnects every client of every generation, releases the adapters and both engines, and gives the
   * http server back its own listeners, without closing it: the lower-level close for whoever owns the
   * http server (the framework adapters). The Server may `attach` or `listen` again afterwards.
   */
  async shutdown(): Promise<void> {
    this.#detach?.();
    this.#detach = undefined;
    await this.#registry.close();
    await this.#endpoint.close();
  }
}

function isHttpServer(value: object): value is HttpServer {
  return typeof (value as HttpServer).listen === 'function' && typeof (value as HttpServer).on === 'function';
}
