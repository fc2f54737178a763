import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { encodeLegacyPacket, LegacyErrorAdvice, LegacyErrorReason, LegacyPacketType } from '../../protocol/legacy-packet.js';
import { nestingDepthOption } from '../../protocol/json-depth.js';
import { allow } from '../handshake-gate.js';
import { EngineConnectionError, type Refusal, refusals } from '../connection-error.js';
import { abortUpgradeWithStatus } from '../http-answers.js';
import { MiddlewareChain } from '../middlewares.js';
import { generateSessionId } from '../session-id.js';
import { FlashPolicyServer } from './flash-policy-server.js';
import { logRefusal } from '../log-refusal.js';
import { consoleLogger, type Logger } from '../logger.js';
import { LegacyHandshakes } from './legacy-handshakes.js';
import { jsonpIndex } from '../script-string.js';
import { parseUrlQuery } from '../url-query.js';
import { isBodyTooLarge, readBody } from '../read-body.js';
import type { AllowRequest, CorsOptions } from '../options.js';
import { authorize, type LegacyRefusal } from './legacy-admission.js';
import { LegacyGate } from './legacy-gate.js';
import { answer, answerPreflight, formField } from './legacy-http.js';
import { type LegacyEngineOptions, type ResolvedLegacyOptions, resolveLegacyOptions } from './legacy-options.js';
import { LegacySession } from './legacy-session.js';
import type { LegacyTransport, LegacyTransportName } from './legacy-transport.js';
import { JsonpPollingTransport, jsonpScript, XhrPollingTransport } from './polling-transports.js';
import { HtmlFileTransport, XhrMultipartTransport } from './streaming-transports.js';
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

/** `7:::1+0`: "client not handshaken", advice "reconnect" — the client handshakes again. */
const NOT_HANDSHAKEN = encodeLegacyPacket({
  type: LegacyPacketType.ERROR,
  endpoint: '',
  reason: LegacyErrorReason.CLIENT_NOT_HANDSHAKEN,
  advice: LegacyErrorAdvice.RECONNECT,
});
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
  readonly #timings: { heartbeatInterval: number; heartbeatTimeout: number; closeTimeout: number };
  readonly #generateId: () => string;
  readonly #gate: LegacyGate;
  readonly #maxNestingDepth: number;
  readonly #allowRequest: AllowRequest | undefined;
  readonly #sharedMaxSessions: { max: number; count: () => number } | undefined;
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
    this.#maxNestingDepth = nestingDepthOption(options.maxNestingDepth);
    this.#allowRequest = options.allowRequest;
    this.#sharedMaxSessions = options.sharedMaxSessions;
    this.#logger = options.logger ?? consoleLogger;
    this.#generateId = options.generateId ?? generateSessionId;
    this.options = resolveLegacyOptions(options, options);
    const { heartbeatInterval, heartbeatTimeout, closeTimeout } = this.options;
    this.#timings = { heartbeatInterval, heartbeatTimeout, closeTimeout };
    this.#prefix = this.options.path + '1';
    this.#handshakes = new LegacyHandshakes(closeTimeout);
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
    if (segments.length === 0) return this.#handshake(req, res, query);
    this.#gate.runMiddlewares(req, res, () => this.#route(req, res, segments, query));
  }

  #route(req: IncomingMessage, res: ServerResponse, segments: string[], query: Query): void {
    if ('disconnect' in query || (segments.length === 1 && this.#isSessionId(segments[0]!))) this.#forceDisconnect(res, segments);
    else if (segments.length === 2) this.#onTransportRequest(req, res, segments[0] as LegacyTransportName, segments[1]!, query);
    else {
      answer(res, 400, 'text/plain', 'bad request');
      this.#report(req, refusals.badRequest('INVALID_PATH'), 400);
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!this.matches(req.url ?? '')) return false;
    socket.on('error', noop);
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
      socket.off('error', noop);
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

  /** The handshake (`GET <path>1/`): the middlewares of `io.engine.use()` first, as the Engine runs them. */
  #handshake(req: IncomingMessage, res: ServerResponse, query: Query): void {
    const jsonp = query.jsonp;
    if (jsonp !== undefined && jsonpIndex(jsonp) === undefined) {
      answer(res, 400, 'text/plain', 'bad jsonp index');
      return this.#report(req, refusals.badRequest('BAD_JSONP_INDEX'), 400);
    }
    const refuse = ({ status, message, refusal }: LegacyRefusal): void => {
      if (jsonp === undefined) answer(res, status, 'text/plain', message);
      else answer(res, 200, 'application/javascript', `io.j[${jsonp}](new Error(${JSON.stringify(message)}));`);
      this.#report(req, refusal, status);
    };
    const middlewares = this.#gate.middlewares;
    if (middlewares.size === 0) return this.#admit(req, res, jsonp, refuse);
    middlewares.run(req, res, (err) => {
      if (res.writableEnded) return; // a middleware answered it
      if (err === undefined) this.#admit(req, res, jsonp, refuse);
      else refuse({ status: 400, message: 'Bad request', refusal: refusals.badRequest('MIDDLEWARE_FAILURE', { error: err }) });
    });
  }

  #admit(req: IncomingMessage, res: ServerResponse, jsonp: string | undefined, refuse: (refused: LegacyRefusal) => void): void {
    if (req.method !== 'GET') return refuse({ status: 400, message: 'bad handshake method', refusal: refusals.badMethod(req.method) });
    if (this.#closed) return refuse(closing('the server is closing'));
    const shared = this.#sharedMaxSessions;
    if (this.#sessions.size + this.#handshakes.size >= this.options.maxSessions || (shared !== undefined && shared.count() >= shared.max)) {
      return refuse({ status: 503, message: 'overloaded', refusal: refusals.overloaded() });
    }
    allow(this.#allowRequest, req, (refusal) => {
      if (refusal === undefined) this.#authorize(req, res, jsonp, refuse);
      else refuse({ status: 403, message: refusal.context.message ?? 'Forbidden', refusal });
    });
  }

  #authorize(req: IncomingMessage, res: ServerResponse, jsonp: string | undefined, refuse: (refused: LegacyRefusal) => void): void {
    authorize(this.options.authorization, req, (refused) => {
      if (refused !== undefined) return refuse(refused);
      // The hook may answer late: a handshake made after close() would outlive the engine.
      if (this.#closed) return refuse(closing('the server is closing'));
      const id = this.#generateId();
      this.#handshakes.add(id, req);
      const { heartbeatTimeout, closeTimeout, transports } = this.options;
      const body = `${id}:${heartbeatTimeout / 1000}:${closeTimeout / 1000}:${transports.join(',')}`;
      if (log.enabled) log('handshake sid=%s generation=0.9 transports=%s', id, transports.join(','));
      if (jsonp === undefined) answer(res, 200, 'text/plain', body);
      else answer(res, 200, 'application/javascript', jsonpScript(jsonp, body));
    });
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

  #onTransportRequest(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, sid: string, query: Query): void {
    if (!this.options.transports.includes(name) || name === 'websocket' || name === 'flashsocket') {
      answer(res, 400, 'text/plain', 'transport not supported');
      return this.#report(req, refusals.unknownTransport(name), 400);
    }
    if (req.method === 'POST') {
      this.#onPost(req, res, name, sid).catch((err: unknown) => this.#logger.error({ sid, transport: name, err }, 'a 0.9 POST failed'));
      return;
    }
    if (req.method !== 'GET') {
      answer(res, 405, 'text/plain', 'method not allowed');
      return this.#report(req, refusals.badRequest('METHOD_NOT_ALLOWED', { method: req.method }), 405);
    }
    const session = this.#sessions.get(sid);
    let transport: LegacyTransport | undefined = session?.transport;
    const reuse = transport instanceof XhrPollingTransport && transport.name === name;
    if (!reuse) transport = this.#createHttpTransport(name, res);
    if (!this.#connect(req, sid, transport!)) {
      this.#report(req, refusals.unknownSid(sid), 200);
      if (!reuse && transport!.persistent) {
        transport!.send([NOT_HANDSHAKEN]);
        transport!.close();
      } else {
        this.#writeNotHandshaken(res, name, query);
      }
      return;
    }
    if (transport instanceof XhrPollingTransport) transport.poll(res, query);
  }

  #createHttpTransport(name: LegacyTransportName, res: ServerResponse): LegacyTransport {
    switch (name) {
      case 'htmlfile':
        return new HtmlFileTransport(res, this.options.maxWriteBuffer);
      case 'xhr-multipart':
        return new XhrMultipartTransport(res, this.options.maxWriteBuffer);
      case 'jsonp-polling':
        return new JsonpPollingTransport(this.options.pollingDuration);
      default:
        return new XhrPollingTransport(this.options.pollingDuration);
    }
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
      timings: this.#timings,
      maxWriteBuffer: this.options.maxWriteBuffer,
      maxNestingDepth: this.#maxNestingDepth,
      logger: this.#logger,
      onClosed: (closed) => {
        if (this.#sessions.get(closed.id) === closed) this.#sessions.delete(closed.id);
      },
    });
    this.#sessions.set(sid, session);
    if (log.enabled) log('open sid=%s generation=0.9 transport=%s', sid, transport.name);
    this.emit('connection', session);
    return true;
  }

  async #onPost(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, sid: string): Promise<void> {
    const session = this.#sessions.get(sid);
    let body: string;
    try {
      body = (await readBody(req, this.options.maxHttpBufferSize)).toString('utf8');
    } catch (err) {
      const tooLarge = isBodyTooLarge(err);
      answer(res, tooLarge ? 413 : 400, 'text/plain', tooLarge ? 'payload too large' : 'bad request');
      if (tooLarge) session?.shutdown('transport error');
      return;
    }
    if (session === undefined || session.readyState === 'closed') {
      answer(res, 200, 'text/plain', NOT_HANDSHAKEN);
      return this.#report(req, refusals.unknownSid(sid), 200);
    }
    if (name === 'jsonp-polling') {
      const data = formField(body);
      if (data === undefined) {
        answer(res, 400, 'text/plain', 'bad request');
        session.shutdown('parse error');
        return;
      }
      body = data;
    }
    // Answer first: a handler that closes the session must not leave this request hanging.
    answer(res, 200, 'text/plain', '1');
    session.receive(body);
  }

  #writeNotHandshaken(res: ServerResponse, name: LegacyTransportName, query: Query): void {
    if (name === 'jsonp-polling') answer(res, 200, 'text/javascript; charset=UTF-8', jsonpScript(query.i, NOT_HANDSHAKEN));
    else answer(res, 200, 'text/plain; charset=UTF-8', NOT_HANDSHAKEN);
  }
}

function closing(message: string): LegacyRefusal {
  return { status: 503, message, refusal: refusals.badRequest('ENGINE_CLOSED') };
}

function noop(): void {}
