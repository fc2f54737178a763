import type { IncomingMessage } from 'node:http';
import { ENGINE_HTTP_ERROR_MESSAGES, EngineHttpError } from './errors.js';

/**
 * What engine.io says about a refusal beside its code: `name` tells refusals with one code apart
 * (`TRANSPORT_MISMATCH`, `MIDDLEWARE_FAILURE`, …), and the rest names what was refused (`sid`, `transport`,
 * `protocol`, `method`, the `message` of allowRequest, the `error` of generateId, the `status` of a 0.9 answer).
 */
export interface ConnectionErrorContext {
  name?: string;
  message?: string;
  [key: string]: unknown;
}

/**
 * The payload of `connection_error`, in engine.io's shape: `err.req`, `err.code` (its number: 0 Transport
 * unknown, 1 Session ID unknown, 2 Bad handshake method, 3 Bad request, 4 Forbidden, 5 Unsupported
 * protocol version), `err.message` (the text of that code) and `err.context`. It is a report of a request
 * the engine answered, never thrown; unlike the SwitchyardErrors its `code` is that number.
 */
export class EngineConnectionError extends Error {
  readonly req: IncomingMessage;
  readonly code: EngineHttpError;
  readonly context: ConnectionErrorContext;

  constructor(req: IncomingMessage, code: EngineHttpError, context: ConnectionErrorContext) {
    super(ENGINE_HTTP_ERROR_MESSAGES[code] ?? 'Bad request');
    this.name = 'EngineConnectionError';
    this.req = req;
    this.code = code;
    this.context = context;
  }

  /** The same number as {@link code}: what Switchyard called it before `code` became engine.io's. */
  get httpCode(): EngineHttpError {
    return this.code;
  }
}

/** A refusal as the engine decides it: the code the client is answered, and what the host is told. */
export interface Refusal {
  code: EngineHttpError;
  context: ConnectionErrorContext;
  /** The HTTP status, when not the code's own (400, or 403 for Forbidden). */
  status?: number;
  /**
   * Set when the server itself failed to answer (code of the host threw: generateId, allowRequest, a
   * connection listener, the 0.9 authorization hook), its error in `context.error`. Such a refusal is
   * logged at `error`; every other one, an application's refusal included, at `debug`.
   */
  serverFailure?: true;
}

/** Tells a refusal from the other outcome of a check (a generation, a session id, …). */
export function isRefusal(outcome: object): outcome is Refusal {
  return 'context' in outcome && 'code' in outcome;
}

/** The refusals with a context of their own, made in one place. */
export const refusals = {
  unknownTransport: (transport: string | undefined): Refusal => ({ code: EngineHttpError.UNKNOWN_TRANSPORT, context: { transport } }),
  unknownSid: (sid: string): Refusal => ({ code: EngineHttpError.UNKNOWN_SID, context: { sid } }),
  badMethod: (method: string | undefined): Refusal => ({ code: EngineHttpError.BAD_HANDSHAKE_METHOD, context: { method } }),
  badRequest: (name: string, extra: Record<string, unknown> = {}): Refusal => ({
    code: EngineHttpError.BAD_REQUEST,
    context: { name, ...extra },
  }),
  /**
   * An engine middleware refused (`next(err)`, or it threw): the application turning the request away, not a
   * failure of the server, though its error goes to `connection_error` as `context.error`.
   */
  middlewareFailure: (error: unknown): Refusal => ({ code: EngineHttpError.BAD_REQUEST, context: { name: 'MIDDLEWARE_FAILURE', error } }),
  /** The server failed on the request: user code of the host threw (see {@link Refusal.serverFailure}). */
  serverFailure: (name: string, error: unknown, code: EngineHttpError = EngineHttpError.BAD_REQUEST): Refusal => ({
    code,
    context: { name, error },
    serverFailure: true,
  }),
  forbidden: (message: string | undefined): Refusal => ({
    code: EngineHttpError.FORBIDDEN,
    context: message === undefined ? {} : { message },
  }),
  /** Past maxSessions: answered 503, so that a client tries again later. */
  overloaded: (): Refusal => ({ code: EngineHttpError.BAD_REQUEST, context: { name: 'OVERLOADED', message: 'Service Unavailable' }, status: 503 }),
  /** A browser page from an origin the policy does not allow (cors.origin, protocol09.origins). */
  originNotAllowed: (req: IncomingMessage): Refusal => ({
    code: EngineHttpError.FORBIDDEN,
    context: { name: 'ORIGIN_NOT_ALLOWED', message: 'origin not allowed', origin: req.headers.origin },
  }),
  /** `protocol` is the EIO the client asked for, a number when it is one (as engine.io reports it). */
  unsupportedProtocol: (protocol: string | undefined): Refusal => ({
    code: EngineHttpError.UNSUPPORTED_PROTOCOL_VERSION,
    context: { protocol: protocol !== undefined && /^\d+$/.test(protocol) ? Number(protocol) : protocol },
  }),
};
