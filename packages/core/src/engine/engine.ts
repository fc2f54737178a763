import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { attachToHttpServer } from './attach.js';
import { type CorsHandler, createCorsHandler } from './cors.js';
import { EngineConnectionError, isRefusal, type Refusal, refusals } from './connection-error.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { abortUpgrade, writeEngineError } from './http-answers.js';
import { logRefusal } from './log-refusal.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions, type TransportName } from './options.js';
import { type EngineGeneration, generationTable } from './generations.js';
import { PollingTransport } from './polling-transport.js';
import type { Session } from './session.js';
import { SessionOpener } from './session-opener.js';
import type { GenerateId } from './handshake-gate.js';
import { HandshakePath } from './handshake-path.js';
import { type EngineMiddleware, MiddlewareChain } from './middlewares.js';
import { corsOriginCheck } from './origin-policy.js';
import { HostHeaders } from './response-headers.js';
import { generateSessionId } from './session-id.js';
import { parseUrlQuery } from './url-query.js';
import type { UpgradeResponse } from './upgrade-response.js';
import { ignoreErrors, WebSocketAcceptor } from './websocket-acceptor.js';

export interface EngineEvents {
  /** A client completed the handshake. */
  connection: [session: Session];
  /**
   * A request was refused (bad handshake, unknown session, …): engine.io's payload, `error.code` being the
   * number sent to the client; the request comes again as the second argument.
   */
  connection_error: [error: EngineConnectionError, req: IncomingMessage];
  /** A handshake is answered (polling, or the websocket's 101): add headers to `headers`. */
  initial_headers: [headers: OutgoingHttpHeaders, req: IncomingMessage];
  /** Any polling request or websocket upgrade is answered (handshakes too): add headers to `headers`. */
  headers: [headers: OutgoingHttpHeaders, req: IncomingMessage];
}

type Query = Record<string, string | undefined>;

/** A request as engine.io hands it to middlewares and hooks: with its parsed query (`req._query.sid`). */
type EngineRequest = IncomingMessage & { _query?: Query };

/** How long `close()` lets websockets finish their closing handshake before dropping them. */
const CLOSE_GRACE_MS = 1000;

/**
 * An Engine.IO server: v4 (unless `allowEIO4` is false) and v3 (socket.io-client 2.x, unless `allowEIO3` is
 * false) on the same path.
 * Attach it to any `http.Server` (`engine.attach(server)`) or hand it requests yourself
 * (`handleRequest` / `handleUpgrade`, which return false for anything outside its path).
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly options: ResolvedEngineOptions;
  readonly #sessions = new Map<string, Session>();
  /** The generations served, by the `EIO` query value that asks for each. */
  readonly #generations: ReadonlyMap<string | undefined, EngineGeneration>;
  readonly #websockets: WebSocketAcceptor;
  readonly #handshakes: HandshakePath;
  readonly #cors: CorsHandler | undefined;
  readonly #path: string;
  readonly #bare: string;
  readonly #middlewares = new MiddlewareChain();
  readonly #headers: HostHeaders;
  #generateId: GenerateId;
  #detach: (() => void) | undefined;
  readonly #countClients: () => number;

  /**
   * `markId` (internal) is applied to every session id made, whichever generateId made it. `countSessions`
   * (internal) counts the sessions maxSessions bounds, and `countClients` (internal) the connected clients
   * `clientsCount` reports: a Server's count every generation's.
   */
  constructor(options: EngineOptions & { markId?: (id: string) => string; countSessions?: () => number; countClients?: () => number } = {}) {
    super();
    this.#countClients = options.countClients ?? (() => this.#sessions.size);
    this.options = resolveEngineOptions(options);
    this.#generations = generationTable(this.options);
    this.#generateId = this.options.generateId ?? generateSessionId;
    this.#path = this.options.path;
    this.#bare = this.#path.slice(0, -1);
    this.#cors = this.options.cors === undefined ? undefined : createCorsHandler(this.options.cors);
    const { maxHttpBufferSize: maxPayload, perMessageDeflate, maxWriteBuffer } = this.options;
    const headers = (this.#headers = new HostHeaders(this, this.options.cookie));
    this.#websockets = new WebSocketAcceptor({ maxPayload, perMessageDeflate, maxWriteBuffer, headers });
    // A listener of `connection` that throws refuses that handshake (HandshakePath).
    const opener = new SessionOpener({ options: this.options, headers, sessions: this.#sessions, announce: (session) => this.emit('connection', session) });
    this.#handshakes = new HandshakePath({
      originCheck: this.options.strictOrigin ? corsOriginCheck(this.options.cors) : undefined,
      gate: { allowRequest: this.options.allowRequest, generateId: () => this.#generateId, markId: options.markId, taken: (id) => this.#sessions.has(id) },
      maxSessions: this.options.maxSessions,
      countSessions: options.countSessions ?? (() => this.#sessions.size),
      opener,
      websockets: this.#websockets,
    });
  }

  /**
   * Adds a connect-style middleware (`engine.use(helmet())`, express-session, passport), run as on
   * engine.io: on every polling request and websocket upgrade, before the engine looks at it, with
   * `req._query` parsed (a handshake is `req._query.sid === undefined`). `next(err)` refuses the request
   * (400, code 3, `MIDDLEWARE_FAILURE`; logged at debug, as the application's refusal). An upgrade gets a
   * stand-in response: headers set on it go out with the 101 answer, and ending it refuses the upgrade with
   * its status. A Server shares the list with the 0.9 protocol, which runs it on its handshakes.
   */
  use(fn: EngineMiddleware): this {
    this.#middlewares.use(fn);
    return this;
  }

  /** @internal The middleware list, handed to the 0.9 engine of the same endpoint. */
  get middlewares(): MiddlewareChain {
    return this.#middlewares;
  }

  /**
   * Makes the id of each new session from its handshake request (the `generateId` option, else 128 random
   * bits). Assignable, as on engine.io: `engine.generateId = (req) => uuid()`; it may return a promise.
   * The id must be unique and unguessable; a failure or a duplicate refuses the handshake (code 3).
   */
  get generateId(): GenerateId {
    return this.#generateId;
  }

  set generateId(fn: GenerateId) {
    if (typeof fn !== 'function') throw new TypeError('generateId must be a function');
    this.#generateId = fn;
  }

  /** engine.io's name for {@link options}. */
  get opts(): ResolvedEngineOptions {
    return this.options;
  }

  /** Open sessions by id. */
  get sessions(): ReadonlyMap<string, Session> {
    return this.#sessions;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  /**
   * The connected clients (engine.io's `clientsCount`). A Server's engine counts the 0.9 protocol's
   * sessions too, so `io.engine.clientsCount` is every generation's; {@link sessionCount} is this engine's
   * own (Engine.IO 3 and 4).
   */
  get clientsCount(): number {
    return this.#countClients();
  }

  /** Whether a request URL falls under this engine's path. */
  matches(url: string): boolean {
    return url.startsWith(this.#path) || url === this.#bare || url.startsWith(this.#bare + '?');
  }

  /** Takes over requests under the path on `server`; everything else still reaches its own listeners. */
  attach(server: HttpServer): this {
    if (this.#detach !== undefined) throw new EngineError(EngineErrorCode.ALREADY_ATTACHED, 'this engine is already attached to a server');
    this.#detach = attachToHttpServer(server, this);
    return this;
  }

  /** Answers an HTTP request under the engine's path; returns false (and touches nothing) otherwise. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.matches(req.url ?? '')) return false;
    if (this.#cors === undefined) this.#prepareRequest(req, res);
    else this.#cors(req, res, () => this.#prepareRequest(req, res));
    return true;
  }

  /** Answers a websocket upgrade under the engine's path; returns false (and touches nothing) otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!this.matches(req.url ?? '')) return false;
    this.#prepareUpgrade(req, socket, head);
    return true;
  }

  /** Lets new sessions in again after close() (the server is attached or listens again). */
  open(): void {
    this.#handshakes.closed = false;
  }

  /**
   * Closes every session and resolves once their connections are gone. The http server is left as it
   * was before `attach` (never closed).
   */
  async close(): Promise<void> {
    this.#handshakes.closed = true;
    this.#detach?.();
    this.#detach = undefined;
    for (const session of [...this.#sessions.values()]) session.shutdown('server shutting down');
    await this.#websockets.shutdown(CLOSE_GRACE_MS);
  }

  #prepareRequest(req: EngineRequest, res: ServerResponse): void {
    const query = (req._query ??= parseUrlQuery(req.url ?? ''));
    if (this.#middlewares.size === 0) return this.#onRequest(req, res, query);
    this.#middlewares.run(req, res, (err) => {
      if (err === undefined) this.#onRequest(req, res, query);
      else this.#refuseRequest(req, res, refusals.middlewareFailure(err));
    });
  }

  #prepareUpgrade(req: EngineRequest, socket: Duplex, head: Buffer): void {
    socket.on('error', ignoreErrors);
    const query = (req._query ??= parseUrlQuery(req.url ?? ''));
    if (this.#middlewares.size === 0) return this.#onUpgrade(req, socket, head, query, undefined);
    const kept = Buffer.from(head); // the parser may reuse `head` while a middleware waits
    this.#middlewares.runOnUpgrade(req, socket, (err, res) => {
      if (err === undefined) this.#onUpgrade(req, socket, kept, query, res);
      else this.#refuseUpgrade(req, socket, refusals.middlewareFailure(err));
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse, query: Query): void {
    const generation = this.#verify(query);
    if (isRefusal(generation)) return this.#refuseRequest(req, res, generation);
    if (query.transport !== 'polling') return this.#refuseRequest(req, res, refusals.badRequest('TRANSPORT_HANDSHAKE_ERROR'));

    const sid = query.sid;
    if (sid === undefined) {
      if (req.method !== 'GET') return this.#refuseRequest(req, res, refusals.badMethod(req.method));
      const format = generation.pollingFormat(query);
      if (format === undefined) return this.#refuseRequest(req, res, refusals.badRequest('BAD_JSONP_INDEX'));
      return this.#handshakes.polling(req, res, generation, format, (refusal) => this.#refuseRequest(req, res, refusal));
    }
    const session = this.#sessions.get(sid);
    if (session === undefined || !session.checkHeartbeat()) return this.#refuseRequest(req, res, refusals.unknownSid(sid));
    if (session.generation !== generation) return this.#refuseRequest(req, res, refusals.badRequest('PROTOCOL_MISMATCH', { protocol: query.EIO }));
    const transport = session.transport;
    if (!(transport instanceof PollingTransport)) {
      const mismatch = { transport: 'polling', previousTransport: transport.name };
      return this.#refuseRequest(req, res, refusals.badRequest('TRANSPORT_MISMATCH', mismatch));
    }
    this.#headers.apply(req, res, undefined);
    transport.handle(req, res);
  }

  /** `res` is the middlewares' stand-in response, when there are middlewares. */
  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, query: Query, res: UpgradeResponse | undefined): void {
    const generation = this.#verify(query);
    if (isRefusal(generation)) return this.#refuseUpgrade(req, socket, generation);
    if (query.transport !== 'websocket') {
      const mismatch = { transport: query.transport, previousTransport: 'websocket' };
      return this.#refuseUpgrade(req, socket, refusals.badRequest('TRANSPORT_MISMATCH', mismatch));
    }

    const sid = query.sid;
    if (sid === undefined) {
      const refuse = (refusal: Refusal): void => this.#refuseUpgrade(req, socket, refusal);
      return this.#handshakes.websocket({ req, socket, head, generation, res }, refuse, (refusal) => this.#reportRefusal(req, refusal));
    }
    const session = this.#sessions.get(sid);
    if (session === undefined || !session.checkHeartbeat()) return this.#refuseUpgrade(req, socket, refusals.unknownSid(sid));
    if (!this.options.allowUpgrades) return this.#refuseUpgrade(req, socket, refusals.badRequest('UPGRADES_DISALLOWED'));
    if (session.generation !== generation) return this.#refuseUpgrade(req, socket, refusals.badRequest('PROTOCOL_MISMATCH', { protocol: query.EIO }));
    this.#handshakes.checkOrigin(req, (refusal) => {
      if (refusal !== undefined) return this.#refuseUpgrade(req, socket, refusal);
      // A websocket for a session that is already upgraded (or upgrading) is accepted, then closed at once.
      this.#websockets.accept({ req, socket, head, generation, res, newId: undefined }, (probe) => {
        if (!session.attachProbe(probe)) probe.close();
      });
    });
  }

  /**
   * Checks what every request must carry: an EIO the engine serves (a missing one is refused too, never taken
   * for v3) and an enabled transport. Returns the client's generation, looked up once in the engine's table.
   */
  #verify(query: Query): EngineGeneration | Refusal {
    const generation = this.#generations.get(query.EIO);
    if (generation === undefined) return refusals.unsupportedProtocol(query.EIO);
    const transport = query.transport;
    if (transport === undefined || !this.options.transports.has(transport as TransportName)) return refusals.unknownTransport(transport);
    return generation;
  }

  #refuseRequest(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
    writeEngineError(res, refusal.code, refusal.context.message, refusal.status);
    this.#reportRefusal(req, refusal);
  }

  #refuseUpgrade(req: IncomingMessage, socket: Duplex, refusal: Refusal): void {
    abortUpgrade(socket, refusal.code, refusal.context.message, refusal.status);
    this.#reportRefusal(req, refusal);
  }

  #reportRefusal(req: IncomingMessage, refusal: Refusal): void {
    logRefusal(this.options.logger, refusal, refusal.status);
    if (this.listenerCount('connection_error') > 0) {
      this.emit('connection_error', new EngineConnectionError(req, refusal.code, refusal.context), req);
    }
  }
}
