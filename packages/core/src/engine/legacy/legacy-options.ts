import type { IncomingMessage } from 'node:http';
import { LEGACY_TRANSPORTS, type LegacyTransportName } from './legacy-transport.js';

/**
 * Decides whether a 0.9 handshake goes through: `callback(null, true)` accepts; `callback(null, false)`
 * answers 403; an error answers 401 with its message.
 */
export type LegacyAuthorization = (
  req: IncomingMessage,
  callback: (err: Error | string | null | undefined, authorized?: boolean) => void,
) => void;

export interface FlashPolicyServerOptions {
  /** TCP port of the policy file server. Default 10843 (the 0.9 client's default; 843 needs root). */
  port?: number;
  /** Address to listen on. Default: every address. */
  host?: string;
  /** The `domain` the policy allows. Default `*`. */
  domain?: string;
  /** The `to-ports` the policy allows. Default `*`. */
  toPorts?: string;
}

export interface LegacyEngineOptions {
  /** Milliseconds between two server heartbeats (`2::`) on persistent transports. Default 25000. */
  heartbeatInterval?: number;
  /** Milliseconds a client has to answer a heartbeat; also announced to the client. Default 60000. */
  heartbeatTimeout?: number;
  /**
   * Milliseconds a polling client may stay away between two GETs, and a handshake may wait for its
   * first transport, before it is dropped. Default 60000.
   */
  closeTimeout?: number;
  /** Milliseconds a polling GET is held before it is answered `8::`. Default 20000. */
  pollingDuration?: number;
  /**
   * The transports offered, in the client's order of preference. Default websocket, htmlfile,
   * xhr-multipart, xhr-polling, jsonp-polling, and flashsocket when the policy server is enabled.
   */
  transports?: readonly LegacyTransportName[];
  /** Decides whether a handshake goes through. */
  authorization?: LegacyAuthorization;
  /**
   * Origins a page may connect from (exact `scheme://host[:port]` strings or RegExps). A request whose
   * `Origin` header matches none is answered 403, websocket upgrades included. Default: any origin, as
   * socket.io 0.9 did.
   */
  origins?: ReadonlyArray<string | RegExp>;
  /** Most sessions (with unused handshakes) at once; a handshake past it is answered 503. Default: no limit. */
  maxSessions?: number;
  /** The Flash socket policy file server (its own TCP listener). Off unless given. */
  flashPolicyServer?: FlashPolicyServerOptions;
}

export interface ResolvedLegacyOptions {
  path: string;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  closeTimeout: number;
  pollingDuration: number;
  transports: readonly LegacyTransportName[];
  authorization: LegacyAuthorization | undefined;
  origins: ReadonlyArray<string | RegExp> | undefined;
  maxSessions: number;
  maxHttpBufferSize: number;
  maxWriteBuffer: number;
  flashPolicyServer: FlashPolicyServerOptions | undefined;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`option protocol09.${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

export function resolveLegacyOptions(
  options: LegacyEngineOptions,
  shared: { path: string; maxHttpBufferSize: number; maxWriteBuffer: number },
): ResolvedLegacyOptions {
  const policy = options.flashPolicyServer;
  const transports =
    options.transports ?? LEGACY_TRANSPORTS.filter((name) => name !== 'flashsocket' || policy !== undefined);
  for (const name of transports) {
    if (!LEGACY_TRANSPORTS.includes(name)) throw new TypeError(`unknown 0.9 transport ${JSON.stringify(name)}`);
  }
  const heartbeatInterval = positive('heartbeatInterval', options.heartbeatInterval, 25_000);
  const heartbeatTimeout = positive('heartbeatTimeout', options.heartbeatTimeout, 60_000);
  const closeTimeout = positive('closeTimeout', options.closeTimeout, 60_000);
  const pollingDuration = positive('pollingDuration', options.pollingDuration, 20_000);
  // The client drops a connection that is silent for heartbeatTimeout (persistent) or closeTimeout (polling).
  if (heartbeatInterval >= heartbeatTimeout) throw new TypeError('option protocol09.heartbeatInterval must be below heartbeatTimeout');
  if (pollingDuration >= closeTimeout) throw new TypeError('option protocol09.pollingDuration must be below closeTimeout');
  return {
    path: shared.path,
    heartbeatInterval,
    heartbeatTimeout,
    closeTimeout,
    pollingDuration,
    transports: [...new Set(transports)],
    authorization: options.authorization,
    origins: options.origins,
    maxSessions: positive('maxSessions', options.maxSessions, Infinity),
    maxHttpBufferSize: shared.maxHttpBufferSize,
    maxWriteBuffer: shared.maxWriteBuffer,
    flashPolicyServer: policy,
  };
}
