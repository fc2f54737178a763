import { SwitchyardError } from '../protocol/errors.js';
import { RESERVED_EVENTS } from '../protocol/socket-packet.js';

/** Codes carried by {@link RealtimeError}. */
export const RealtimeErrorCode = {
  /** `emit` was given an event name that only the library may use. */
  RESERVED_EVENT: 'ERR_REALTIME_RESERVED_EVENT',
  /** No acknowledgement arrived in time. */
  ACK_TIMEOUT: 'ERR_REALTIME_ACK_TIMEOUT',
  /** The socket went away before it acknowledged. */
  DISCONNECTED: 'ERR_REALTIME_DISCONNECTED',
  /** Other nodes of a cluster did not all answer in time. */
  CLUSTER_TIMEOUT: 'ERR_REALTIME_CLUSTER_TIMEOUT',
  /** The adapter closed while a request to the cluster was under way. */
  ADAPTER_CLOSED: 'ERR_REALTIME_ADAPTER_CLOSED',
  /** The operation makes no sense on a dynamic parent namespace (use its children). */
  UNSUPPORTED_ON_PARENT: 'ERR_REALTIME_UNSUPPORTED_ON_PARENT',
  /** `join` would put a socket in more rooms than maxRoomsPerSocket. */
  TOO_MANY_ROOMS: 'ERR_REALTIME_TOO_MANY_ROOMS',
  /**
   * A packet could not be encoded (data nested too deep for JSON.stringify, a cycle, a BigInt); nothing was
   * sent. An acknowledgement that fails so in a listener disconnects its socket, so that the client is answered.
   */
  UNENCODABLE: 'ERR_REALTIME_UNENCODABLE',
  /** An emit would make a socket wait for more acknowledgements than maxPendingAcks. */
  TOO_MANY_PENDING_ACKS: 'ERR_REALTIME_TOO_MANY_PENDING_ACKS',
  /**
   * A client sent more than MAX_EARLY_PACKETS packets to a namespace that could not take them yet (its
   * middleware, or a class namespace's async `initialize()`, still running): its connection is closed.
   */
  TOO_MANY_EARLY_PACKETS: 'ERR_REALTIME_TOO_MANY_EARLY_PACKETS',
} as const;

/** Packets a namespace keeps for a client while its middleware or a class's `initialize()` runs. */
export const MAX_EARLY_PACKETS = 100;

export type RealtimeErrorCode = (typeof RealtimeErrorCode)[keyof typeof RealtimeErrorCode];

/** Errors of the realtime layer (namespaces, sockets, acknowledgements). */
export class RealtimeError extends SwitchyardError {
  declare readonly code: RealtimeErrorCode;

  constructor(code: RealtimeErrorCode, message: string) {
    super(code, message);
  }
}


export function assertEmittable(ev: string): void {
  if (RESERVED_EVENTS.has(ev)) {
    throw new RealtimeError(RealtimeErrorCode.RESERVED_EVENT, `"${ev}" is a reserved event name`);
  }
}

/** Why a packet for namespace `nsp` was not sent: one line, the encoder's own error named in it. */
export function unencodableError(nsp: string | undefined, cause: unknown): RealtimeError {
  const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new RealtimeError(RealtimeErrorCode.UNENCODABLE, `a packet for namespace ${nsp ?? '?'} could not be encoded (${why})`);
}

export function ackTimeoutError(): RealtimeError {
  return new RealtimeError(RealtimeErrorCode.ACK_TIMEOUT, 'operation has timed out');
}

export function tooManyEarlyPacketsError(nsp: string, waitingFor: string): RealtimeError {
  return new RealtimeError(
    RealtimeErrorCode.TOO_MANY_EARLY_PACKETS,
    `over ${MAX_EARLY_PACKETS} packets for namespace ${nsp} while its ${waitingFor} ran: the connection is closed`,
  );
}
