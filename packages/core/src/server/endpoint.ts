import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Engine } from '../engine/engine.js';
import { LegacyEngine } from '../engine/legacy/legacy-engine.js';
import type { EngineOptions } from '../engine/options.js';
import { generateSessionId } from '../engine/session-id.js';
import type { ServerOptions } from './server-options.js';
import { type SessionRouter, sessionIdOf } from './session-router.js';

/** What the endpoint reads of the server's options; the rest goes to the Engine as it is. */
export type EndpointOptions = EngineOptions & Pick<ServerOptions, 'protocol09' | 'router' | 'maxNestingDepth'> & {
  /** An Engine made outside (`io.bind(engine)`), used instead of one made from these options. */
  engine?: Engine;
};

/**
 * The transport side of a `Server`: the Engine (Engine.IO v3/v4) and, unless `protocol09: false`, the
 * 0.9 protocol's LegacyEngine on the same path. With a session router, every session id either opens is
 * marked as this process's, and requests for sessions another process holds can be forwarded to it.
 */
export class Endpoint {
  readonly engine: Engine;
  readonly legacyEngine: LegacyEngine | undefined;
  readonly #router: SessionRouter | undefined;

  constructor(options: EndpointOptions) {
    const router = (this.#router = options.router);
    // Every id the Engine makes is marked, from the generateId option or one assigned to io.engine later.
    // (An Engine bound from outside, `io.bind(engine)`, marks nothing: it was made without the router.)
    this.engine = options.engine ?? new Engine({
      ...options,
      path: options.path ?? '/socket.io',
      countSessions: () => this.sessionCount,
      countClients: () => this.clientCount,
      ...(router !== undefined && { markId: (id: string) => router.markId(id) }),
    });
    const legacy = options.protocol09 ?? {};
    this.legacyEngine =
      legacy === false
        ? undefined
        : new LegacyEngine({
            ...legacy,
            path: this.engine.options.path,
            maxHttpBufferSize: this.engine.options.maxHttpBufferSize,
            maxWriteBuffer: this.engine.options.maxWriteBuffer,
            cors: this.engine.options.cors,
            allowRequest: this.engine.options.allowRequest,
            sharedMaxSessions: { max: this.engine.options.maxSessions, count: () => this.sessionCount },
            strictOrigin: this.engine.options.strictOrigin,
            ...(options.maxNestingDepth !== undefined && { maxNestingDepth: options.maxNestingDepth }),
            middlewares: this.engine.middlewares,
            logger: this.engine.options.logger,
            ...(router !== undefined && { generateId: () => router.markId(generateSessionId()) }),
          });
    // io.engine reports the refusals of every generation.
    this.legacyEngine?.on('connection_error', (error, req) => {
      if (this.engine.listenerCount('connection_error') > 0) this.engine.emit('connection_error', error, req);
    });
  }

  /** Open sessions (and 0.9 handshakes not used yet) of every generation. */
  get sessionCount(): number {
    return this.engine.sessionCount + (this.legacyEngine?.sessionCount ?? 0);
  }

  /** Connected clients of every generation (0.9 handshakes not used yet are not clients). */
  get clientCount(): number {
    return this.engine.sessionCount + (this.legacyEngine?.sessions.size ?? 0);
  }

  /** With a router: hands it a request for a session another process holds. True when the router answers it. */
  forwardRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const sid = this.#foreignSessionId(req);
    return sid !== undefined && this.#router?.routeRequest(req, res, sid) === true;
  }

  /** The same for a websocket upgrade. */
  forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const sid = this.#foreignSessionId(req);
    return sid !== undefined && this.#router?.routeUpgrade(req, socket, head, sid) === true;
  }

  /** Answers a request under the path with the engine whose protocol it speaks; false touches nothing. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.legacyEngine?.handleRequest(req, res) === true) return true;
    return this.engine.handleRequest(req, res);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (this.legacyEngine?.handleUpgrade(req, socket, head) === true) return true;
    return this.engine.handleUpgrade(req, socket, head);
  }

  /** Lets new sessions in again after close(). */
  open(): void {
    this.engine.open();
    this.legacyEngine?.open();
  }

  /** Ends every session of both engines. */
  async close(): Promise<void> {
    await Promise.all([this.engine.close(), this.legacyEngine?.close()]);
  }

  /** With a router: the session id of a request under the path that this process does not hold. */
  #foreignSessionId(req: IncomingMessage): string | undefined {
    if (this.#router === undefined) return undefined;
    const url = req.url ?? '';
    if (!this.engine.matches(url)) return undefined;
    const sid = sessionIdOf(url, this.engine.options.path);
    if (sid === undefined || this.engine.sessions.has(sid) || this.legacyEngine?.holds(sid) === true) return undefined;
    return sid;
  }
}
