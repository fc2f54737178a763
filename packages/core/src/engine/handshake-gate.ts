import type { IncomingMessage } from 'node:http';
import { type Refusal, refusals } from './connection-error.js';
import { EngineHttpError } from './errors.js';
import type { AllowRequest } from './options.js';

/** engine.io's `generateId`: may answer at once or with a promise. */
export type GenerateId = (req: IncomingMessage) => string | PromiseLike<string>;

export interface HandshakeGateOptions {
  allowRequest: AllowRequest | undefined;
  /** The generateId in force when the handshake comes (it may be reassigned on the engine). */
  generateId(): GenerateId;
  /** Applied to every id made (a session router marks it as this node's). */
  markId: ((id: string) => string) | undefined;
  /** Whether an id is in use already. */
  taken(id: string): boolean;
}

/**
 * The host's say in a handshake, after the engine's own checks: allowRequest, then the session id.
 * `done` gets the new id, or the refusal to answer with. User code that throws or rejects refuses the
 * request; it never throws into the host.
 */
export function passHandshakeGate(options: HandshakeGateOptions, req: IncomingMessage, done: (outcome: string | Refusal) => void): void {
  allow(options.allowRequest, req, (refusal) => {
    if (refusal !== undefined) done(refusal);
    else newSessionId(options, req, done);
  });
}

/** Runs allowRequest (when given): `done()` lets the request through, otherwise it gets the refusal (Forbidden). */
export function allow(allowRequest: AllowRequest | undefined, req: IncomingMessage, done: (refusal: Refusal | undefined) => void): void {
  if (allowRequest === undefined) return done(undefined);
  let answered = false;
  const once = (refusal: Refusal | undefined): void => {
    if (answered) return;
    answered = true;
    done(refusal);
  };
  try {
    allowRequest(req, (err, success) => {
      once(success ? undefined : refusals.forbidden(typeof err === 'string' && err.length > 0 ? err : undefined));
    });
  } catch (error) {
    once(refusals.serverFailure('ALLOW_REQUEST_ERROR', error, EngineHttpError.FORBIDDEN));
  }
}

function newSessionId(options: HandshakeGateOptions, req: IncomingMessage, done: (outcome: string | Refusal) => void): void {
  const failed = (error: unknown): void => done(refusals.serverFailure('ID_GENERATION_ERROR', error));
  const check = (id: unknown): void => {
    let marked = id;
    try {
      if (typeof id === 'string' && id.length > 0 && options.markId !== undefined) marked = options.markId(id);
    } catch (error) {
      return failed(error);
    }
    if (typeof marked !== 'string' || marked.length === 0 || options.taken(marked)) {
      failed(new TypeError('generateId must return a new, non-empty string'));
    } else {
      done(marked);
    }
  };
  let id: string | PromiseLike<string>;
  try {
    id = options.generateId()(req);
  } catch (error) {
    return failed(error);
  }
  if (typeof id === 'string') return check(id);
  Promise.resolve(id).then(check, failed);
}
