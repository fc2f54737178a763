/* eslint-disable @typescript-eslint/no-explicit-any */
// One unit past 300 lines on purpose: this is socket.io's `Server` façade, whose public methods (with
// socket.io's overloads and their documentation) each hand over to a part that lives elsewhere: the
// engines (endpoint.ts), the namespaces (realtime/namespace-registry.ts), the main namespace's API
// (main-namespace-api.ts), class namespaces (class-namespaces.ts), snapshots (server-inspector.ts),
// options (check-options.ts). Splitting the façade itself would scatter one public class over files.
import createDebug from 'debug';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { attachToHttpServer } from '../engine/attach.js';
import type { Engine } from '../engine/engine.js';
import { EngineError, EngineErrorCode } from '../engine/errors.js';
import type { LegacyEngine } from '../engine/legacy/legacy-engine.js';
import type { NamespaceClass } from '../realtime/class-namespace.js';
import type { AdapterServerView, AnyAdapterConstructor } from '../realtime/foreign-adapter.js';
import type { Namespace } from '../realtime/namespace.js';
import { NamespaceRegistry } from '../realtime/namespace-registry.js';
import type { NamespaceMatcher, ParentNamespace } from '../realtime/parent-namespace.js';
import type { Socket } from '../realtime/socket.js';
import type { DefaultEventsMap, EventsMap } from '../realtime/typed-events.js';
import { checkOptionCombinations, checkServerOptions } from './check-options.js';
import { ClassNamespaces } from './class-namespaces.js';
import { Endpoint } from './endpoint.js';
import { MainNamespaceApi } from './main-namespace-api.js';
import type { NodeHttpHandler } from './node-http-handler.js';
import { ClientFiles } from './serve-client.js';
import type { ServerOptions } from './server-options.js';
import { type ClusterSnapshot, type InspectClusterOptions, type InspectOptions, ServerInspector, type ServerSnapshot } from './server-inspector.js';

const log = createDebug('switchyard:server');

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
> extends MainNamespaceApi<TListen, TEmit, TServerSide, TData> implements NodeHttpHandler {
  /** The main namespace, `/`. */
  override readonly sockets: Namespace<TListen, TEmit, TServerSide, TData>;
  readonly #registry: NamespaceRegistry;
  #options: ServerOptions;
  readonly #classes = new ClassNamespaces();
  #endpoint!: Endpoint;
  /** The client bundles under the engine's path (served unless `serveClient: false`). */
  #clientFiles!: ClientFiles;
  #httpServer: HttpServer | undefined;
  #ownsHttpServer = false;
  #detach: (() => void) | undefined;
  readonly #inspector = new ServerInspector({
    endpoint: () => this.#endpoint,
    namespaces: () => this.#registry.namespaces.values(),
    mainNamespace: () => this.sockets,
  });

  constructor(options?: ServerOptions);
  constructor(srv: HttpServer | number, options?: ServerOptions);
  constructor(srv?: HttpServer | number | ServerOptions, options: ServerOptions = {}) {
    super();
    if (srv !== undefined && typeof srv === 'object' && !isHttpServer(srv)) {
      options = srv;
      srv = undefined;
    }
    checkServerOptions(options);
    checkOptionCombinations(options);
    this.#options = options;
    this.#useEndpoint(new Endpoint(options));
    this.#registry = new NamespaceRegistry({
      ...(options.adapter !== undefined && { adapter: options.adapter }),
      ...(options.connectTimeout !== undefined && { connectTimeout: options.connectTimeout }),
      ...(options.maxAttachments !== undefined && { maxAttachments: options.maxAttachments }),
      ...(options.parser !== undefined && { parser: options.parser }),
      maxAttachmentBytes: this.engine.options.maxHttpBufferSize,
      ...(options.maxNestingDepth !== undefined && { maxNestingDepth: options.maxNestingDepth }),
      limits: { maxRoomsPerSocket: options.maxRoomsPerSocket, maxNamespacesPerClient: options.maxNamespacesPerClient, maxPendingAcks: options.maxPendingAcks },
      ...(options.cleanupEmptyChildNamespaces !== undefined && { cleanupEmptyChildNamespaces: options.cleanupEmptyChildNamespaces }),
      ...(options.connectionStateRecovery !== undefined && { connectionStateRecovery: options.connectionStateRecovery }),
      owner: this,
      ...(options.logger !== undefined && { logger: options.logger }),
      answerNodeRequest: (kind, opts) => this.#inspector.answer(kind, opts),
      onNewNamespace: (nsp) => {
        this.emitNewNamespace(nsp);
      },
      onAckTimeout: (namespace, socketId, broadcast) => {
        this.emitAckTimeout(namespace, socketId, broadcast);
      },
    });
    this.sockets = this.#registry.of('/');
    if (typeof srv === 'number') this.listen(srv);
    else if (srv !== undefined) this.attach(srv as HttpServer);
    options.router?.bind(this);
  }

  /** The Engine.IO server (Engine.IO v3 and v4 sessions). */
  get engine(): Engine {
    return this.#endpoint.engine;
  }

  /** socket.io's older name for {@link engine}. */
  get eio(): Engine {
    return this.#endpoint.engine;
  }

  /** The 0.9 protocol's engine, unless `protocol09: false`. */
  get legacyEngine(): LegacyEngine | undefined {
    return this.#endpoint.legacyEngine;
  }

  #useEndpoint(endpoint: Endpoint): void {
    endpoint.engine.on('connection', (session) => {
      this.#classes.bind(session);
      this.#registry.accept(session);
    });
    endpoint.legacyEngine?.on('connection', (session) => {
      this.#classes.bind(session);
      this.#registry.acceptLegacy(session);
    });
    this.#endpoint = endpoint;
    this.#clientFiles = new ClientFiles({ path: endpoint.engine.options.path, cors: endpoint.engine.options.cors });
  }

  /**
   * Options given after construction that shape the engines (`attach(srv, opts)`, `path(v)`, `bind`): the
   * engines are made anew with them, as socket.io makes its engine when it attaches. Refused once clients
   * are connected, whose sessions the old engines hold.
   */
  #reconfigure(changes: Partial<ServerOptions>, engine?: Engine): void {
    const old = this.#endpoint;
    if (old.engine.sessionCount > 0 || (old.legacyEngine?.sessions.size ?? 0) > 0) {
      throw new TypeError('engine options can only change while no client is connected');
    }
    checkOptionCombinations({ ...this.#options, ...changes });
    this.#options = { ...this.#options, ...changes };
    this.#useEndpoint(new Endpoint(engine === undefined ? this.#options : { ...this.#options, engine }));
    if (changes.logger !== undefined) this.#registry.logger = changes.logger;
    void old.close();
  }

  /**
   * socket.io's `path()`: the path clients connect to (default `/socket.io`), or sets it before the
   * server is attached.
   */
  path(): string;
  path(v: string): this;
  path(v?: string): string | this {
    if (v === undefined) return this.engine.options.path.slice(0, -1);
    if (this.#detach !== undefined) throw new TypeError('path() can only be set before the server is attached');
    this.#reconfigure({ path: v });
    return this;
  }

  /** Whether `<path>/socket.io.js` and the other client bundles are served (default true), or sets it. */
  serveClient(): boolean;
  serveClient(v: boolean): this;
  serveClient(v?: boolean): boolean | this {
    if (v === undefined) return this.#options.serveClient !== false;
    this.#options = { ...this.#options, serveClient: v };
    return this;
  }

  /** Milliseconds a connection may stay without joining a namespace (default 45000), or sets it. */
  connectTimeout(): number;
  connectTimeout(v: number): this;
  connectTimeout(v?: number): number | this {
    if (v === undefined) return this.#registry.connectTimeout;
    if (!Number.isFinite(v) || v <= 0) throw new TypeError(`connectTimeout must be a positive number of milliseconds, got ${v}`);
    this.#registry.connectTimeout = v;
    return this;
  }

  /** Serves clients through an Engine made outside (socket.io's `bind(engine)`), before it is attached. */
  bind(engine: Engine): this {
    if (this.#detach !== undefined) throw new TypeError('bind() can only be called before the server is attached');
    this.#reconfigure({}, engine);
    return this;
  }

  /**
   * Takes over the requests under the path on `srv` (a port number creates a server and listens).
   * `opts` are merged over the constructor's, as socket.io's `attach(srv, opts)` does.
   */
  attach(srv: HttpServer | number, opts?: Partial<ServerOptions>): this {
    if (typeof srv === 'number') return this.listen(srv, opts);
    if (this.#detach !== undefined) throw new EngineError(EngineErrorCode.ALREADY_ATTACHED, 'this server is already attached to a server');
    if (opts !== undefined && Object.keys(opts).length > 0) {
      checkServerOptions(opts);
      if (opts.parser !== undefined) throw new TypeError('option "parser" is chosen when the Server is made: give it to the constructor');
      this.#reconfigure(opts);
    }
    this.#httpServer = srv;
    this.#ownsHttpServer = false;
    this.#endpoint.open();
    this.#detach = attachToHttpServer(srv, this);
    log('attached at %s', this.engine.options.path);
    return this;
  }

  /** Creates an http server, attaches to it (with `opts` merged, as `attach`) and listens on `port`. */
  listen(port: number, opts?: Partial<ServerOptions>): this {
    const srv = createServer();
    this.attach(srv, opts);
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
    if (this.#options.serveClient !== false && this.#clientFiles.handleRequest(req, res)) return true;
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

  /** socket.io's encoder: what adapters built on socket.io-adapter encode broadcasts with (`nsp.server.encoder`). */
  get encoder(): AdapterServerView['encoder'] {
    return this.#registry.adapterServer.encoder;
  }

  /** socket.io's `io.opts`: the options, with connection state recovery's defaults filled in (adapters read it). */
  get opts(): Omit<ServerOptions, 'connectionStateRecovery'> & AdapterServerView['opts'] {
    return { ...this.#options, connectionStateRecovery: this.#registry.recovery };
  }

  /**
   * The same map as {@link namespaces}, under socket.io's name (the Admin UI and other add-ons read it).
   * @internal
   */
  get _nsps(): Map<string, Namespace<TListen, TEmit, TServerSide, TData>> {
    return this.#registry.namespaces;
  }

  /**
   * A snapshot of this process, taken now: the sessions of every client generation (with their transport,
   * and whether they are upgrading), the sockets by generation, transport and namespace, the rooms with
   * their member counts, and which node this is. Plain data: `JSON.stringify` it as it is.
   */
  inspect(options?: InspectOptions): ServerSnapshot {
    return this.#inspector.inspect(options);
  }

  /**
   * {@link inspect} on every node of the cluster: this one's snapshot and the other nodes' answers, asked
   * through the adapter as `serverSideEmitWithAck` asks. Rejects when a node does not answer in time
   * (a socket.io node in a mixed fleet never does). Alone, only this node's.
   */
  inspectCluster(options?: InspectClusterOptions): Promise<ClusterSnapshot> {
    return this.#inspector.inspectCluster(options);
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
    // The port is given up at once, as socket.io does, before the clients are told; the close callback
    // waits for their connections.
    const closed = srv === undefined ? undefined : new Promise<Error | undefined>((resolve) => srv.close((err) => resolve(err)));
    await this.shutdown();
    if (srv !== undefined) {
      // Keep-alive connections that carried polls would hold the close open; a server we created has no other.
      if (owned) srv.closeAllConnections();
      else srv.closeIdleConnections();
    }
    fn?.(await closed);
  }

  /**
   * Disconnects every client of every generation, releases the adapters and both engines, and gives the
   * http server back its own listeners, without closing it: the lower-level close for whoever owns the
   * http server (the framework adapters). The Server may `attach` or `listen` again afterwards.
   */
  async shutdown(): Promise<void> {
    log('shutting down');
    await this.#registry.close();
    await this.#endpoint.close();
    // Only now: a poll or POST that arrives while the clients are told is answered by the closed engine
    // instead of reaching an http server with no listener, whose connection would then never end.
    this.#detach?.();
    this.#detach = undefined;
    log('shut down');
  }
}

function isHttpServer(value: object): value is HttpServer {
  return typeof (value as HttpServer).listen === 'function' && typeof (value as HttpServer).on === 'function';
}
