import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { nestingDepthOption } from '../../protocol/json-depth.js';
import { LEGACY_GENERATION } from '../generations.js';
import { EngineConnectionError, type Refusal, refusals } from '../connection-error.js';
import { abortUpgradeWithStatus } from '../http-answers.js';
import { MiddlewareChain } from '../middlewares.js';
import { generateSessionId } from '../session-id.js';
import { FlashPolicyServer } from './flash-policy-server.js';
import { logRefusal } from '../log-refusal.js';
import { consoleLogger, type Logger } from '../logger.js';
import { LegacyHandshakes } from './legacy-handshakes.js';
import { parseUrlQuery } from '../url-query.js';
import { ignoreErrors } from '../websocket-acceptor.js';
import type { AllowRequest, CorsOptions } from '../options.js';
import { LegacyAdmission } from './legacy-admission.js';
import { LegacyGate } from './legacy-gate.js';
import { answer, answerPreflight } from './legacy-http.js';
import { LegacyHttpTransports, NOT_HANDSHAKEN } from './legacy-http-transports.js';
import { type LegacyEngineOptions, type ResolvedLegacyOptions, resolveLegacyOptions } from './legacy-options.js';
import { LegacySession, type LegacySessionGroup } from './legacy-session.js';
import type { LegacyTransport, LegacyTransportName } from './legacy-transport.js';
import { LegacyWebSocketTransport } from './legacy-websocket-transport.js';

export interface LegacyEngineEvents {
  /** A handshaken client opened its first transport. */
  connection: [session: LegacySession];
  /**
   * A request was refused: the Engine's payload, with engine.io's nearest code and the HTTP status sent as
   * `context.status` (a Server reports these on `io.engine` too).
   */
  connection_error: [error: EngineConnectionError, req: IncomingMessage];
}

type Query = Record<string, string | undefined>;

/** What a LegacyEngine is made from: its own options and what it shares with the Server's Engine. */
export interface LegacyEngineInit extends LegacyEngineOptions {
  path: string;
  maxHttpBufferSize: number;
  maxWriteBuffer: number;
  cors?: CorsOptions | undefined;
  strictOrigin?: boolean;
  /** Deepest nesting of a packet's JSON (the Server's maxNestingDepth). Default 64. */
  maxNestingDepth?: number;
  /** The Server's allowRequest: run on every 0.9 handshake, before the authorization hook. */
  allowRequest?: AllowRequest | undefined;
  /** The Server's maxSessions, with what it counts (every generation's sessions); protocol09.maxSessions narrows it. */
  sharedMaxSessions?: { max: number; count: () => number };
  generateId?: () => string;
  middlewares?: MiddlewareChain;
  /** Where failures and refusals are logged (the Server's `logger`). Default: the console, warnings and errors. */
  logger?: Logger;
}

const CLOSE_GRACE_MS = 1000;

const log = createDebug('switchyard:engine:legacy');

/**
 * The 0.9 protocol ("protocol 1", socket.io-client 0.7–0.9) under `<path>1/`: the handshake, the six
 * transports and the forced disconnect. Sessions it opens are handed on by its `connection` event.
 */
export class LegacyEngine extends EventEmitter<LegacyEngineEvents> {
  readonly options: ResolvedLegacyOptions;
  readonly #prefix: string;
  readonly #sessions = new Map<string, LegacySession>();
  readonly #handshakes: LegacyHandshakes;
  readonly #wss: WebSocketServer;
  readonly #websockets = new Set<LegacyWebSocketTransport>();
  readonly #policyServer: FlashPolicyServer | undefined;
  /** What its sessions share: settings and timers. */
  readonly #sessionGroup: LegacySessionGroup;
  readonly #gate: LegacyGate;
  readonly #admission: LegacyAdmission;
  readonly #httpTransports: LegacyHttpTransports;
  readonly #logger: Logger;
  #closed = false;

  /**
   * `generateId` (internal) makes the id of each new session; the default is 128 random bits.
   * `middlewares` (internal) are run on every handshake: a Server hands in its Engine's (`io.engine.use`).
   * `cors` and `strictOrigin` are the Server's, applied as the Engine applies them; `origins` may narrow them.
   */
  constructor(options: LegacyEngineInit) {
    super();
    this.#gate = new LegacyGate({
      cors: options.cors,
      strictOrigin: options.strictOrigin ?? true,
      origins: options.origins,
      middlewares: options.middlewares ?? new MiddlewareChain(),
      report: (req, refusal, status) => this.#report(req, refusal, status),
    });
    const logger = (this.#logger = options.logger ?? consoleLogger);
    this.options = resolveLegacyOptions(options, options);
    const { heartbeatInterval, heartbeatTimeout, closeTimeout, maxWriteBuffer } = this.options;
    this.#sessionGroup = LegacySession.group({
      heartbeatInterval,
      heartbeatTimeout,
      closeTimeout,
      maxWriteBuffer,
      maxNestingDepth: nestingDepthOption(options.maxNestingDepth),
      logger,
      onClosed: (closed) => {
        if (this.#sessions.get(closed.id) === closed) this.#sessions.delete(closed.id);
      },
    });
    this.#prefix = this.options.path + '1';
    this.#handshakes = new LegacyHandshakes(closeTimeout);
    const report = (req: IncomingMessage, refusal: Refusal, status: number): void => this.#report(req, refusal, status);
    const shared = options.sharedMaxSessions;
    this.#admission = new LegacyAdmission({
      options: this.options,
      middlewares: this.#gate.middlewares,
      allowRequest: options.allowRequest,
      generateId: options.generateId ?? generateSessionId,
      handshakes: this.#handshakes,
      closed: () => this.#closed,
      full: () => this.sessionCount >= this.options.maxSessions || (shared !== undefined && shared.count() >= shared.max),
      report,
    });
    const connect = (req: IncomingMessage, sid: string, transport: LegacyTransport): boolean => this.#connect(req, sid, transport);
    this.#httpTransports = new LegacyHttpTransports({ options: this.options, sessions: this.#sessions, connect, report, logger });
    this.#wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: this.options.maxHttpBufferSize });
    const policy = this.options.flashPolicyServer;
    this.#policyServer = policy === undefined ? undefined : new FlashPolicyServer(policy, this.#logger);
  }

  /** Open sessions by id. */
  get sessions(): ReadonlyMap<string, LegacySession> {
    return this.#sessions;
  }

  /** Sessions and unused handshakes: what maxSessions counts. */
  get sessionCount(): number {
    return this.#sessions.size + this.#handshakes.size;
  }

  /** Handshakes a client made but has not opened a transport for yet. */
  get pendingHandshakes(): number {
    return this.#handshakes.size;
  }

  /** Whether this engine holds a session (or an unused handshake) with this id. */
  holds(sid: string): boolean {
    return this.#sessions.has(sid) || this.#handshakes.has(sid);
  }

  /** The policy file server, when enabled (`listening` resolves once it accepts connections). */
  get flashPolicyServer(): FlashPolicyServer | undefined {
    return this.#policyServer;
  }

  /** Whether a URL belongs to the 0.9 protocol (`<path>1/…`). */
  matches(url: string): boolean {
    if (!url.startsWith(this.#prefix)) return false;
    const next = url.charAt(this.#prefix.length);
    return next === '/' || next === '?' || next === '';
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.matches(req.url ?? '')) return false;
    this.#gate.request(req, res, () => this.#onRequest(req, res));
    return true;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === 'OPTIONS') return answerPreflight(res);
    const { segments, query } = this.#parse(req.url ?? '');
    // The handshake runs the middlewares itself, to refuse in its JSONP form.
    if (segments.length === 0) return this.#admission.handshake(req, res, query.jsonp);
    this.#gate.runMiddlewares(req, res, () => this.#route(req, res, segments, query));
  }

  #route(req: IncomingMessage, res: ServerResponse, segments: string[], query: Query): void {
    if ('disconnect' in query || (segments.length === 1 && this.#isSessionId(segments[0]!))) this.#forceDisconnect(res, segments);
    else if (segments.length === 2) this.#httpTransports.handle(req, res, segments[0] as LegacyTransportName, segments[1]!, query);
    else {
      answer(res, 400, 'text/plain', 'bad request');
      this.#report(req, refusals.badRequest('INVALID_PATH'), 400);
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!this.matches(req.url ?? '')) return false;
    socket.on('error', ignoreErrors);
    this.#gate.upgrade(req, socket, head, (kept) => this.#upgrade(req, socket, kept));
    return true;
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { segments } = this.#parse(req.url ?? '');
    const name = segments[0] as LegacyTransportName;
    const sid = segments[1];
    if (segments.length !== 2 || (name !== 'websocket' && name !== 'flashsocket') || !this.options.transports.includes(name)) {
      abortUpgradeWithStatus(socket, 400, 'transport not supported');
      return this.#report(req, refusals.unknownTransport(name), 400);
    }
    if (this.#closed) {
      abortUpgradeWithStatus(socket, 503, 'the server is closing');
      return this.#report(req, refusals.badRequest('ENGINE_CLOSED'), 503);
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      socket.off('error', ignoreErrors);
      const transport = new LegacyWebSocketTransport(name, ws, socket, this.options.maxWriteBuffer);
      this.#websockets.add(transport);
      ws.once('close', () => this.#websockets.delete(transport));
      if (!this.#connect(req, sid!, transport)) {
        transport.send([NOT_HANDSHAKEN]);
        transport.close();
        this.#report(req, refusals.unknownSid(sid!), 101);
      }
    });
  }

  /** Lets new handshakes in again after close(). */
  open(): void {
    this.#closed = false;
  }

  /** Ends every session and handshake, and the policy server; resolves once websockets are gone. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#handshakes.clear();
    for (const session of [...this.#sessions.values()]) session.shutdown('server shutting down');
    await Promise.all([
      ...[...this.#websockets].map((transport) => transport.shutdown(CLOSE_GRACE_MS)),
      this.#policyServer?.close(),
    ]);
  }

  /** Whether `id` names a session, or a handshake that has not opened a transport yet. */
  #isSessionId(id: string): boolean {
    return this.#sessions.has(id) || this.#handshakes.has(id);
  }

  #parse(url: string): { segments: string[]; query: Query } {
    const q = url.indexOf('?');
    const path = url.slice(this.#prefix.length + 1, q === -1 ? undefined : q);
    const segments = path.split('/');
    if (segments[segments.length - 1] === '') segments.pop();
    return { segments, query: parseUrlQuery(url) };
  }

  /** Reports a refusal on `connection_error`, with the HTTP status it was answered with. */
  #report(req: IncomingMessage, refusal: Refusal, status: number): void {
    logRefusal(this.#logger, refusal, status);
    if (this.listenerCount('connection_error') === 0) return;
    this.emit('connection_error', new EngineConnectionError(req, refusal.code, { ...refusal.context, status }), req);
  }

  #forceDisconnect(res: ServerResponse, segments: string[]): void {
    const sid = segments[segments.length - 1] ?? '';
    this.#handshakes.delete(sid);
    this.#sessions.get(sid)?.shutdown('forced close');
    answer(res, 200, 'text/plain', '');
  }

  /**
   * Puts `transport` under the session `sid`: the session's next connection, or its first one (the
   * handshake is used up and the session starts). False when no such handshake or session exists.
   */
  #connect(req: IncomingMessage, sid: string, transport: LegacyTransport): boolean {
    const existing = this.#sessions.get(sid);
    if (existing !== undefined) {
      existing.attach(transport);
      return true;
    }
    const handshake = this.#handshakes.take(sid);
    if (handshake === undefined || this.#closed) return false;
    const session = new LegacySession({
      id: sid,
      request: handshake.request,
      address: handshake.address || (req.socket.remoteAddress ?? ''),
      transport,
      group: this.#sessionGroup,
    });
    this.#sessions.set(sid, session);
    if (log.enabled) log('open sid=%s generation=%s transport=%s', sid, LEGACY_GENERATION.label, transport.name);
    this.emit('connection', session);
    return true;
  }
}

