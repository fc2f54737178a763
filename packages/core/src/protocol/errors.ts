/**
 * Every error Switchyard raises on purpose is a `SwitchyardError` with a stable string `code`.
 * Each layer has its own subclass; codecs throw `ProtocolError` and exactly one place per session
 * catches it and closes that session.
 */
export class SwitchyardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Codes carried by {@link ProtocolError}. */
export const ProtocolErrorCode = {
  /** A single packet does not parse: unknown type, bad framing, bad base64. */
  INVALID_PACKET: 'ERR_PROTOCOL_INVALID_PACKET',
  /** A payload (several packets in one HTTP body) does not parse as a whole. */
  INVALID_PAYLOAD: 'ERR_PROTOCOL_INVALID_PAYLOAD',
} as const;

export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];

/** Raised by the pure codecs in `protocol/` when the peer sent something that does not parse. */
export class ProtocolError extends SwitchyardError {
  declare readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(code, message);
  }
}

export function invalidPacket(message: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.INVALID_PACKET, message);
}
