import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { encodeLegacyPacket, LegacyErrorAdvice, LegacyErrorReason, LegacyPacketType } from '../../protocol/legacy-packet.js';
import { abortUpgradeWithStatus } from '../http-answers.js';
import { generateSessionId } from '../session-id.js';
import { FlashPolicyServer } from './flash-policy-server.js';
import { LegacyHandshakes } from './legacy-handshakes.js';
import { jsonpIndex } from '../script-string.js';
import { parseUrlQuery } from '../url-query.js';
import { isBodyTooLarge, readBody } from '../read-body.js';
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
}

type Query = Record<string, string | undefined>;

/** `7:::1+0`: "client not handshaken", advice "reconnect" — the client handshakes again. */
const NOT_HANDSHAKEN = encodeLegacyPacket({
  type: LegacyPacketType.ERROR,
  endpoint: '',
  reason: LegacyErrorReason.CLIENT_NOT_HANDSHAKEN,
  advice: LegacyErrorAdvice.RECONNECT,
});
const CLOSE_GRACE_MS = 1000;

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
  #closed = false;

  /** `generateId` (internal) makes the id of each new session; the default is 128 random bits. */
  constructor(options: LegacyEngineOptions & { path: string; maxHttpBufferSize: number; maxWriteBuffer: number; generateId?: () => string }) {
    super();
    this.#generateId = options.generateId ?? generateSessionId;
    this.options = resolveLegacyOptions(options, options);
    const { heartbeatInterval, heartbeatTimeout, closeTimeout } = this.options;
    this.#timings = { heartbeatInterval, heartbeatTimeout, closeTimeout };
    this.#prefix = this.options.path + '1';
    this.#handshakes = new LegacyHandshakes(closeTimeout);
    this.#wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: this.options.maxHttpBufferSize });
    const policy = this.options.flashPolicyServer;
    this.#policyServer = policy === undefined ? undefined : new FlashPolicyServer(policy);
  }

  /** Open sessions by id. */
  get sessions(): ReadonlyMap<string, LegacySession> {
    return this.#sessions;
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
    const url = req.url ?? '';
    if (!this.matches(url)) return false;
    if (!this.#originAllowed(req)) {
      answer(req, res, 403, 'text/plain', 'origin not allowed');
      return true;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return true;
    }
    const { segments, query } = this.#parse(url);
    if (segments.length === 0) this.#handshake(req, res, query);
    else if ('disconnect' in query || (segments.length === 1 && this.#isSessionId(segments[0]!))) this.#forceDisconnect(req, res, segments);
    else if (segments.length === 2) this.#onTransportRequest(req, res, segments[0] as LegacyTransportName, segments[1]!, query);
    else answer(req, res, 400, 'text/plain', 'bad request');
    return true;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = req.url ?? '';
    if (!this.matches(url)) return false;
    socket.on('error', noop);
    if (!this.#originAllowed(req)) {
      abortUpgradeWithStatus(socket, 403, 'origin not allowed');
      return true;
    }
    const { segments } = this.#parse(url);
    const name = segments[0] as LegacyTransportName;
    const sid = segments[1];
    if (segments.length !== 2 || (name !== 'websocket' && name !== 'flashsocket') || !this.options.transports.includes(name)) {
      abortUpgradeWithStatus(socket, 400, 'transport not supported');
      return true;
    }
    if (this.#closed) {
      abortUpgradeWithStatus(socket, 503, 'the server is closing');
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      socket.off('error', noop);
      const transport = new LegacyWebSocketTransport(name, ws, this.options.maxWriteBuffer);
      this.#websockets.add(transport);
      ws.once('close', () => this.#websockets.delete(transport));
      if (!this.#connect(req, sid!, transport)) {
        transport.send([NOT_HANDSHAKEN]);
        transport.close();
      }
    });
    return true;
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

  /** Whether the request's Origin (when it has one) is among `origins` (any when none are set). */
  #originAllowed(req: IncomingMessage): boolean {
    const { origins } = this.options;
    const origin = req.headers.origin;
    if (origins === undefined || origin === undefined) return true;
    return origins.some((allowed) => (typeof allowed === 'string' ? allowed === origin : allowed.test(origin)));
  }

  #parse(url: string): { segments: string[]; query: Query } {
    const q = url.indexOf('?');
    const path = url.slice(this.#prefix.length + 1, q === -1 ? undefined : q);
    const segments = path.split('/');
    if (segments[segments.length - 1] === '') segments.pop();
    return { segments, query: parseUrlQuery(url) };
  }

  #handshake(req: IncomingMessage, res: ServerResponse, query: Query): void {
    const jsonp = query.jsonp;
    if (jsonp !== undefined && jsonpIndex(jsonp) === undefined) return answer(req, res, 400, 'text/plain', 'bad jsonp index');
    const refuse = (status: number, message: string): void => {
      if (jsonp === undefined) answer(req, res, status, 'text/plain', message);
      else answer(req, res, 200, 'application/javascript', `io.j[${jsonp}](new Error(${JSON.stringify(message)}));`);
    };
    if (req.method !== 'GET') return refuse(400, 'bad handshake method');
    if (this.#closed || this.#sessions.size + this.#handshakes.size >= this.options.maxSessions) return refuse(503, 'overloaded');
    this.#authorize(req, (status, message) => {
      if (status !== undefined) return refuse(status, message ?? 'handshake unauthorized');
      // The hook may answer late: a handshake made after close() would outlive the engine.
      if (this.#closed) return refuse(503, 'the server is closing');
      const id = this.#generateId();
      this.#handshakes.add(id, req);
      const { heartbeatTimeout, closeTimeout, transports } = this.options;
      const body = `${id}:${heartbeatTimeout / 1000}:${closeTimeout / 1000}:${transports.join(',')}`;
      if (jsonp === undefined) answer(req, res, 200, 'text/plain', body);
      else answer(req, res, 200, 'application/javascript', jsonpScript(jsonp, body));
    });
  }

  #authorize(req: IncomingMessage, done: (status: number | undefined, message?: string) => void): void {
    const authorization = this.options.authorization;
    if (authorization === undefined) return done(undefined);
    let answered = false;
    const once = (status: number | undefined, message?: string): void => {
      if (answered) return;
      answered = true;
      done(status, message);
    };
    try {
      authorization(req, (err, authorized) => {
        if (err !== null && err !== undefined) once(401, typeof err === 'string' ? err : err.message || 'unauthorized');
        else if (authorized !== true) once(403, 'handshake unauthorized');
        else once(undefined);
      });
    } catch (err) {
      once(500, err instanceof Error ? err.message : 'handshake error');
    }
  }

  #forceDisconnect(req: IncomingMessage, res: ServerResponse, segments: string[]): void {
    const sid = segments[segments.length - 1] ?? '';
    this.#handshakes.delete(sid);
    this.#sessions.get(sid)?.shutdown('forced close');
    answer(req, res, 200, 'text/plain', '');
  }

  #onTransportRequest(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, sid: string, query: Query): void {
    if (!this.options.transports.includes(name) || name === 'websocket' || name === 'flashsocket') {
      return answer(req, res, 400, 'text/plain', 'transport not supported');
    }
    if (req.method === 'POST') {
      this.#onPost(req, res, name, sid).catch((err: unknown) => console.error('[switchyard] 0.9 POST failed:', err));
      return;
    }
    if (req.method !== 'GET') return answer(req, res, 405, 'text/plain', 'method not allowed');
    const session = this.#sessions.get(sid);
    let transport: LegacyTransport | undefined = session?.transport;
    const reuse = transport instanceof XhrPollingTransport && transport.name === name;
    if (!reuse) transport = this.#createHttpTransport(name, req, res);
    if (!this.#connect(req, sid, transport!)) {
      if (!reuse && transport!.persistent) {
        transport!.send([NOT_HANDSHAKEN]);
        transport!.close();
      } else {
        this.#writeNotHandshaken(req, res, name, query);
      }
      return;
    }
    if (transport instanceof XhrPollingTransport) transport.poll(req, res, query);
  }

  #createHttpTransport(name: LegacyTransportName, req: IncomingMessage, res: ServerResponse): LegacyTransport {
    switch (name) {
      case 'htmlfile':
        return new HtmlFileTransport(req, res, this.options.maxWriteBuffer);
      case 'xhr-multipart':
        return new XhrMultipartTransport(req, res, this.options.maxWriteBuffer);
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
      onClosed: (closed) => {
        if (this.#sessions.get(closed.id) === closed) this.#sessions.delete(closed.id);
      },
    });
    this.#sessions.set(sid, session);
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
      answer(req, res, tooLarge ? 413 : 400, 'text/plain', tooLarge ? 'payload too large' : 'bad request');
      if (tooLarge) session?.shutdown('transport error');
      return;
    }
    if (session === undefined || session.readyState === 'closed') return answer(req, res, 200, 'text/plain', NOT_HANDSHAKEN);
    if (name === 'jsonp-polling') {
      const data = formField(body);
      if (data === undefined) {
        answer(req, res, 400, 'text/plain', 'bad request');
        session.shutdown('parse error');
        return;
      }
      body = data;
    }
    // Answer first: a handler that closes the session must not leave this request hanging.
    answer(req, res, 200, 'text/plain', '1');
    session.receive(body);
  }

  #writeNotHandshaken(req: IncomingMessage, res: ServerResponse, name: LegacyTransportName, query: Query): void {
    if (name === 'jsonp-polling') answer(req, res, 200, 'text/javascript; charset=UTF-8', jsonpScript(query.i, NOT_HANDSHAKEN));
    else answer(req, res, 200, 'text/plain; charset=UTF-8', NOT_HANDSHAKEN);
  }
}

function noop(): void {}
