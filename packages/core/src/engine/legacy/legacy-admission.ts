import type { IncomingMessage } from 'node:http';
import { type Refusal, refusals } from '../connection-error.js';
import type { LegacyAuthorization } from './legacy-options.js';

/** A 0.9 answer refused: its HTTP status and text, and the refusal reported as a `connection_error`. */
export interface LegacyRefusal {
  status: number;
  message: string;
  refusal: Refusal;
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
