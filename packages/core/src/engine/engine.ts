import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import createDebug from 'debug';
import { type WebSocket, WebSocketServer } from 'ws';
import { type EnginePacket, EnginePacketType } from '../protocol/engine-packet.js';
import { attachToHttpServer } from './attach.js';
import { type CorsHandler, createCorsHandler } from './cors.js';
import { EngineConnectionError, type Refusal, refusals } from './connection-error.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { abortUpgrade, writeEngineError } from './http-answers.js';
import { logRefusal } from './log-refusal.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions, type TransportName } from './options.js';
import { eio3PollingFormat } from './eio3-polling-format.js';
import type { PollingFormat } from './polling-format.js';
import { PollingTransport } from './polling-transport.js';
import { Session, type SessionGroup } from './session.js';
import { type GenerateId, type HandshakeGateOptions, passHandshakeGate } from './handshake-gate.js';
import { type EngineMiddleware, MiddlewareChain } from './middlewares.js';
import { corsOriginCheck, type OriginCheck } from './origin-policy.js';
import { HostHeaders } from './response-headers.js';
import { generateSessionId } from './session-id.js';
import { DETACHED_SINK } from './transport.js';
import { parseUrlQuery } from './url-query.js';
import { UpgradeResponse } from './upgrade-response.js';
import { WebSocketTransport } from './websocket-transport.js';

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

const log = createDebug('switchyard:engine');

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
  /** Websocket transports whose connection is not closed yet: close() waits for them. */
  readonly #websockets = new Set<WebSocketTransport>();
  readonly #wss: WebSocketServer;
  readonly #cors: CorsHandler | undefined;
  /** cors.origin as a policy on handshakes and upgrades (strictOrigin). */
  readonly #originCheck: OriginCheck | undefined;
  readonly #sessionGroup: SessionGroup;
  /** The open packet's JSON after the sid, the same for every session opened over each transport. */
  readonly #openPacketTail: Readonly<Record<TransportName, string>>;
  readonly #path: string;
  readonly #bare: string;
  readonly #gate: HandshakeGateOptions;
  readonly #middlewares = new MiddlewareChain();
  readonly #headers: HostHeaders;
  /** Header lines for the 101 answer of an upgrade under way, taken by the websocket server's `headers` event. */
  readonly #upgradeHeaders = new WeakMap<IncomingMessage, string[]>();
  #generateId: GenerateId;
  #detach: (() => void) | undefined;
  /** Set by close(): no new session may start. */
  #closed = false;

  readonly #countSessions: () => number;
  readonly #countClients: () => number;

  /**
   * `markId` (internal) is applied to every session id made, whichever generateId made it. `countSessions`
   * (internal) counts the sessions maxSessions bounds, and `countClients` (internal) the connected clients
   * `clientsCount` reports: a Server's count every generation's.
   */
  constructor(options: EngineOptions & { markId?: (id: string) => string; countSessions?: () => number; countClients?: () => number } = {}) {
    super();
    this.#countSessions = options.countSessions ?? (() => this.#sessions.size);
    this.#countClients = options.countClients ?? (() => this.#sessions.size);
    this.options = resolveEngineOptions(options);
    this.#generateId = this.options.generateId ?? generateSessionId;
    this.#gate = {
      allowRequest: this.options.allowRequest,
      generateId: () => this.#generateId,
      markId: options.markId,
      taken: (id) => this.#sessions.has(id),
    };
    this.#path = this.options.path;
    this.#bare = this.#path.slice(0, -1);
    this.#cors = this.options.cors === undefined ? undefined : createCorsHandler(this.options.cors);
    this.#originCheck = this.options.strictOrigin ? corsOriginCheck(this.options.cors) : undefined;
    const { pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize: maxPayload } = this.options;
    const maxWriteBuffer = this.options.maxWriteBuffer;
    this.#sessionGroup = Session.group({ pingInterval, pingTimeout, upgradeTimeout, maxWriteBuffer, onClosed: this.#onSessionClosed, logger: this.options.logger });
    const tail = (upgrades: TransportName[]): string =>
      JSON.stringify({ upgrades, pingInterval, pingTimeout, maxPayload }).slice(1);
    const canUpgrade = this.options.allowUpgrades && this.options.transports.has('websocket');
    this.#openPacketTail = { polling: tail(canUpgrade ? ['websocket'] : []), websocket: tail([]) };
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.options.maxHttpBufferSize,
      perMessageDeflate: this.options.perMessageDeflate,
    });
    this.#headers = new HostHeaders(this, this.options.cookie);
    this.#wss.on('headers', (lines: string[], req: IncomingMessage) => {
      const extra = this.#upgradeHeaders.get(req);
      if (extra === undefined) return;
      this.#upgradeHeaders.delete(req);
      lines.push(...extra);
    });
  }

  /**
   * Adds a connect-style middleware (`engine.use(helmet())`, express-session, passport), run as on
   * engine.io: on every polling request and websocket upgrade, before the engine looks at it, with
   * `req._query` parsed (a handshake is `req._query.sid === undefined`). `next(err)` refuses the request
   * (400, code 3, `MIDDLEWARE_FAILURE`). An upgrade gets a stand-in response: headers set on it go out with
   * the 101 answer, and ending it refuses the upgrade with its status. A Server shares the list with the
   * 0.9 protocol, which runs it on its handshakes.
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
    this.#closed = false;
  }

  /**
   * Closes every session and resolves once their connections are gone. The http server is left as it
   * was before `attach` (never closed).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#detach?.();
    this.#detach = undefined;
    for (const session of [...this.#sessions.values()]) session.shutdown('server shutting down');
    await Promise.all([...this.#websockets].map((transport) => transport.shutdown(CLOSE_GRACE_MS)));
  }

  #prepareRequest(req: EngineRequest, res: ServerResponse): void {
    const query = (req._query ??= parseUrlQuery(req.url ?? ''));
    if (this.#middlewares.size === 0) return this.#onRequest(req, res, query);
    this.#middlewares.run(req, res, (err) => {
      if (res.writableEnded) return; // a middleware answered it
      if (err === undefined) this.#onRequest(req, res, query);
      else this.#refuseRequest(req, res, refusals.badRequest('MIDDLEWARE_FAILURE', { error: err }));
    });
  }

  #prepareUpgrade(req: EngineRequest, socket: Duplex, head: Buffer): void {
    socket.on('error', noop);
    const query = (req._query ??= parseUrlQuery(req.url ?? ''));
    if (this.#middlewares.size === 0) return this.#onUpgrade(req, socket, head, query, undefined);
    const res = new UpgradeResponse(req, socket);
    const kept = Buffer.from(head); // the parser may reuse `head` while a middleware waits
    this.#middlewares.run(req, res as unknown as ServerResponse, (err) => {
      if (res.writableEnded) return; // a middleware refused it with an answer of its own
      if (err === undefined) this.#onUpgrade(req, socket, kept, query, res);
      else this.#refuseUpgrade(req, socket, refusals.badRequest('MIDDLEWARE_FAILURE', { error: err }));
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse, query: Query): void {
    const protocol = this.#verify(query);
    if (typeof protocol !== 'number') return this.#refuseRequest(req, res, protocol);
    if (query.transport !== 'polling') return this.#refuseRequest(req, res, refusals.badRequest('TRANSPORT_HANDSHAKE_ERROR'));

    const sid = query.sid;
    if (sid === undefined) {
      if (req.method !== 'GET') return this.#refuseRequest(req, res, refusals.badMethod(req.method));
      const format = protocol === 3 ? eio3PollingFormat(query) : undefined;
      if (protocol === 3 && format === undefined) return this.#refuseRequest(req, res, refusals.badRequest('BAD_JSONP_INDEX'));
      this.#admit(req, (outcome) => {
        if (typeof outcome !== 'string') this.#refuseRequest(req, res, outcome);
        else this.#open(() => this.#openPolling(req, res, outcome, format), (refusal) => this.#refuseRequest(req, res, refusal));
      });
      return;
    }
    const session = this.#sessions.get(sid);
    if (session === undefined || !session.checkHeartbeat()) return this.#refuseRequest(req, res, refusals.unknownSid(sid));
    if (session.protocol !== protocol) return this.#refuseRequest(req, res, refusals.badRequest('PROTOCOL_MISMATCH', { protocol: query.EIO }));
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
    const protocol = this.#verify(query);
    if (typeof protocol !== 'number') return this.#refuseUpgrade(req, socket, protocol);
    if (query.transport !== 'websocket') {
      const mismatch = { transport: query.transport, previousTransport: 'websocket' };
      return this.#refuseUpgrade(req, socket, refusals.badRequest('TRANSPORT_MISMATCH', mismatch));
    }

    const sid = query.sid;
    if (sid === undefined) {
      this.#admit(req, (outcome) => {
        if (typeof outcome !== 'string') return this.#refuseUpgrade(req, socket, outcome);
        this.#acceptWebSocket({ req, socket, head, protocol, res, newId: outcome }, (transport) =>
          this.#open(
            () => this.#openWebSocket(req, transport, outcome, protocol),
            (refusal) => {
              transport.close();
              this.#reportRefusal(req, refusal);
            },
          ),
        );
      });
      return;
    }
    const session = this.#sessions.get(sid);
    if (session === undefined || !session.checkHeartbeat()) return this.#refuseUpgrade(req, socket, refusals.unknownSid(sid));
    if (!this.options.allowUpgrades) return this.#refuseUpgrade(req, socket, refusals.badRequest('UPGRADES_DISALLOWED'));
    if (session.protocol !== protocol) return this.#refuseUpgrade(req, socket, refusals.badRequest('PROTOCOL_MISMATCH', { protocol: query.EIO }));
    this.#checkOrigin(req, (refusal) => {
      if (refusal !== undefined) return this.#refuseUpgrade(req, socket, refusal);
      // A websocket for a session that is already upgraded (or upgrading) is accepted, then closed at once.
      this.#acceptWebSocket({ req, socket, head, protocol, res, newId: undefined }, (probe) => {
        if (!session.attachProbe(probe)) probe.close();
      });
    });
  }

  /**
   * Checks what every request must carry: a supported EIO (a missing one is refused too, never taken for
   * v3) and an enabled transport. Returns the Engine.IO revision.
   */
  #verify(query: Query): 3 | 4 | Refusal {
    const protocol = query.EIO === '4' && this.options.allowEIO4 ? 4 : query.EIO === '3' && this.options.allowEIO3 ? 3 : undefined;
    if (protocol === undefined) return refusals.unsupportedProtocol(query.EIO);
    const transport = query.transport;
    if (transport === undefined || !this.options.transports.has(transport as TransportName)) return refusals.unknownTransport(transport);
    return protocol;
  }

  /**
   * The origin policy, allowRequest and the new session's id; a handshake that gets through after close()
   * is refused.
   */
  #admit(req: IncomingMessage, done: (outcome: string | Refusal) => void): void {
    if (this.#closed) return done(refusals.badRequest('ENGINE_CLOSED'));
    if (this.#countSessions() >= this.options.maxSessions) return done(refusals.overloaded());
    this.#checkOrigin(req, (refusal) => {
      if (refusal !== undefined) return done(refusal);
      passHandshakeGate(this.#gate, req, (outcome) => done(this.#closed ? refusals.badRequest('ENGINE_CLOSED') : outcome));
    });
  }

  /** Refuses (Forbidden) a browser page from an origin `cors.origin` does not allow, under strictOrigin. */
  #checkOrigin(req: IncomingMessage, done: (refusal: Refusal | undefined) => void): void {
    if (this.#originCheck === undefined) return done(undefined);
    this.#originCheck(req, (allowed) => done(allowed ? undefined : refusals.originNotAllowed(req)));
  }

  #acceptWebSocket(upgrade: Upgrade, onOpen: (transport: WebSocketTransport) => void): void {
    const { req, socket, head, protocol } = upgrade;
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    const lines = this.#headers.lines(req, upgrade.newId, upgrade.res?.accept());
    if (lines !== undefined) this.#upgradeHeaders.set(req, lines);
    // The 101 answer and the open packet that follows it leave in one write.
    socket.cork();
    try {
      this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        socket.off('error', noop); // ws handles the socket's errors from now on
        onOpen(new WebSocketTransport(DETACHED_SINK, ws, socket, this.#websockets, this.options.maxWriteBuffer, protocol));
      });
    } finally {
      socket.uncork();
    }
  }

  /** Opens a session; a failure of user code in it (a connection listener) refuses the request instead of throwing. */
  #open(step: () => void, refuse: (refusal: Refusal) => void): void {
    try {
      step();
    } catch (error) {
      refuse(refusals.badRequest('TRANSPORT_HANDSHAKE_ERROR', { error }));
    }
  }

  /** `format` is given for an Engine.IO v3 client (and says how it frames its bodies). */
  #openPolling(req: IncomingMessage, res: ServerResponse, id: string, format: PollingFormat | undefined): void {
    const transport = new PollingTransport(DETACHED_SINK, {
      maxHttpBufferSize: this.options.maxHttpBufferSize,
      compressionThreshold: this.options.httpCompressionThreshold,
      ...(format === undefined ? {} : { format }),
    });
    const session = this.#createSession(req, transport, id, format === undefined ? 4 : 3);
    this.#headers.apply(req, res, id);
    transport.respondOpen(req, res, this.#openPacket(session.id, 'polling'));
    this.emit('connection', session);
  }

  #openWebSocket(req: IncomingMessage, transport: WebSocketTransport, id: string, protocol: 3 | 4): void {
    const session = this.#createSession(req, transport, id, protocol);
    transport.send([this.#openPacket(session.id, 'websocket')]);
    this.emit('connection', session);
  }

  #createSession(req: IncomingMessage, transport: PollingTransport | WebSocketTransport, id: string, protocol: 3 | 4): Session {
    const session = new Session({ id, request: req, transport, group: this.#sessionGroup, protocol });
    if (log.enabled) log('handshake sid=%s generation=%s transport=%s', id, protocol === 4 ? 'v4' : '2.x', transport.name);
    this.#sessions.set(id, session);
    return session;
  }

  readonly #onSessionClosed = (session: Session): void => {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
  };

  /** `{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}` */
  #openPacket(sid: string, transport: TransportName): EnginePacket {
    return { type: EnginePacketType.OPEN, data: `{"sid":${JSON.stringify(sid)},${this.#openPacketTail[transport]}` };
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

/** A websocket upgrade the engine accepts; `newId` is given when it opens a session. */
interface Upgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  protocol: 3 | 4;
  res: UpgradeResponse | undefined;
  newId: string | undefined;
}

function noop(): void {}
