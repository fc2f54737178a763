import { SwitchyardError } from '../protocol/errors.js';

/**
 * The error answers of the Engine.IO handshake (engine.io's `Server.errors`), as `{"code":N,"message":"…"}` on polling and as a plain
 * HTTP status with the message as text on a failed websocket upgrade.
 */
export const EngineHttpError = {
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const;

export type EngineHttpError = (typeof EngineHttpError)[keyof typeof EngineHttpError];

export const ENGINE_HTTP_ERROR_MESSAGES: readonly string[] = [
  'Transport unknown',
  'Session ID unknown',
  'Bad handshake method',
  'Bad request',
  'Forbidden',
  'Unsupported protocol version',
];

/** Codes carried by {@link EngineError}. */
export const EngineErrorCode = {
  /** A polling body or websocket message was larger than maxHttpBufferSize. */
  PAYLOAD_TOO_LARGE: 'ERR_ENGINE_PAYLOAD_TOO_LARGE',
  /** The client broke the transport rules (two overlapping GETs, a bad content type, …). */
  TRANSPORT_VIOLATION: 'ERR_ENGINE_TRANSPORT_VIOLATION',
  /** A client stopped reading: more than maxWriteBuffer bytes waited to be sent to it. */
  SLOW_CONSUMER: 'ERR_ENGINE_SLOW_CONSUMER',
  /** `attach` was called on an engine (or server) that is already attached to an http server. */
  ALREADY_ATTACHED: 'ERR_ENGINE_ALREADY_ATTACHED',
} as const;

export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/**
 * Why a client was dropped for not taking what was sent to it: more than `limit` bytes waited, for a
 * client that does not read (`waitingFor: 'read'`) or does not come back for it (`'poll'`).
 */
export function slowConsumerError(limit: number, waitingFor: 'read' | 'poll'): EngineError {
  return new EngineError(EngineErrorCode.SLOW_CONSUMER, `over ${limit} bytes waiting for a client that does not ${waitingFor}`);
}

/** Errors of the engine layer (sessions, transports, handshake). */
export class EngineError extends SwitchyardError {
  declare readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string) {
    super(code, message);
  }
}
