import createDebug from 'debug';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Refusal, refusals } from '../connection-error.js';
import { LEGACY_GENERATION } from '../generations.js';
import { allow } from '../handshake-gate.js';
import type { MiddlewareChain } from '../middlewares.js';
import type { AllowRequest } from '../options.js';
import { jsonpIndex } from '../script-string.js';
import type { LegacyHandshakes } from './legacy-handshakes.js';
import { answer } from './legacy-http.js';
import type { LegacyAuthorization, ResolvedLegacyOptions } from './legacy-options.js';
import { jsonpScript } from './polling-transports.js';

const log = createDebug('switchyard:engine:legacy');

/** A 0.9 answer refused: its HTTP status and text, and the refusal reported as a `connection_error`. */
export interface LegacyRefusal {
  status: number;
  message: string;
  refusal: Refusal;
}

export interface LegacyAdmissionInit {
  options: ResolvedLegacyOptions;
  /** `io.engine.use()`'s middlewares. */
  middlewares: MiddlewareChain;
  /** The Server's allowRequest, run before the authorization hook. */
  allowRequest: AllowRequest | undefined;
  generateId(): string;
  /** Where a handshake let through waits for its first transport. */
  handshakes: LegacyHandshakes;
  /** Whether the engine is closed: no handshake goes through then. */
  closed(): boolean;
  /** Whether the sessions (and unused handshakes) are as many as allowed. */
  full(): boolean;
  /** Reports a refusal (`connection_error`) with the HTTP status it was answered with. */
  report(req: IncomingMessage, refusal: Refusal, status: number): void;
}

/**
 * The 0.9 handshake (`GET <path>1/`): the middlewares of `io.engine.use()` (as the Engine runs them), the
 * method, capacity, allowRequest and the authorization hook; then the new id waits for its first
 * transport and the client is answered `<sid>:<heartbeat>:<close>:<transports>` (in JSONP with `jsonp=N`).
 * A refusal is answered in the same form (JSONP: an Error handed to the callback).
 */
export class LegacyAdmission {
  readonly #init: LegacyAdmissionInit;

  constructor(init: LegacyAdmissionInit) {
    this.#init = init;
  }

  handshake(req: IncomingMessage, res: ServerResponse, jsonp: string | undefined): void {
    if (jsonp !== undefined && jsonpIndex(jsonp) === undefined) {
      answer(res, 400, 'text/plain', 'bad jsonp index');
      return this.#init.report(req, refusals.badRequest('BAD_JSONP_INDEX'), 400);
    }
    const refuse = ({ status, message, refusal }: LegacyRefusal): void => {
      if (jsonp === undefined) answer(res, status, 'text/plain', message);
      else answer(res, 200, 'application/javascript', `io.j[${jsonp}](new Error(${JSON.stringify(message)}));`);
      this.#init.report(req, refusal, status);
    };
    const middlewares = this.#init.middlewares;
    if (middlewares.size === 0) return this.#admit(req, res, jsonp, refuse);
    middlewares.run(req, res, (err) => {
      if (err === undefined) this.#admit(req, res, jsonp, refuse);
      else refuse({ status: 400, message: 'Bad request', refusal: refusals.middlewareFailure(err) });
    });
  }

  #admit(req: IncomingMessage, res: ServerResponse, jsonp: string | undefined, refuse: (refused: LegacyRefusal) => void): void {
    if (req.method !== 'GET') return refuse({ status: 400, message: 'bad handshake method', refusal: refusals.badMethod(req.method) });
    if (this.#init.closed()) return refuse(closing());
    if (this.#init.full()) return refuse({ status: 503, message: 'overloaded', refusal: refusals.overloaded() });
    allow(this.#init.allowRequest, req, (refusal) => {
      if (refusal === undefined) this.#authorize(req, res, jsonp, refuse);
      else refuse({ status: 403, message: refusal.context.message ?? 'Forbidden', refusal });
    });
  }

  #authorize(req: IncomingMessage, res: ServerResponse, jsonp: string | undefined, refuse: (refused: LegacyRefusal) => void): void {
    const { options, handshakes } = this.#init;
    authorize(options.authorization, req, (refused) => {
      if (refused !== undefined) return refuse(refused);
      // The hook may answer late: a handshake made after close() would outlive the engine.
      if (this.#init.closed()) return refuse(closing());
      const id = this.#init.generateId();
      handshakes.add(id, req);
      const { heartbeatTimeout, closeTimeout, transports } = options;
      const body = `${id}:${heartbeatTimeout / 1000}:${closeTimeout / 1000}:${transports.join(',')}`;
      if (log.enabled) log('handshake sid=%s generation=%s transports=%s', id, LEGACY_GENERATION.label, transports.join(','));
      if (jsonp === undefined) answer(res, 200, 'text/plain', body);
      else answer(res, 200, 'application/javascript', jsonpScript(jsonp, body));
    });
  }
}

function closing(): LegacyRefusal {
  return { status: 503, message: 'the server is closing', refusal: refusals.badRequest('ENGINE_CLOSED') };
}

/**
 * Runs the authorization hook: `done()` lets the handshake through; otherwise it gets the answer — 401
 * with the error's message, 403 when not authorized, 500 when the hook throws.
 */
export function authorize(authorization: LegacyAuthorization | undefined, req: IncomingMessage, done: (refused?: LegacyRefusal) => void): void {
  if (authorization === undefined) return done();
  let answered = false;
  const once = (refused?: LegacyRefusal): void => {
    if (answered) return;
    answered = true;
    done(refused);
  };
  try {
    authorization(req, (err, authorized) => {
      if (err !== null && err !== undefined) {
        const message = typeof err === 'string' ? err : err.message || 'unauthorized';
        once({ status: 401, message, refusal: refusals.forbidden(message) });
      } else if (authorized !== true) {
        once({ status: 403, message: 'handshake unauthorized', refusal: refusals.forbidden(undefined) });
      } else {
        once();
      }
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'handshake error';
    once({ status: 500, message, refusal: refusals.serverFailure('AUTHORIZATION_ERROR', error) });
  }
}
