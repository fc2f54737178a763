import type { IncomingMessage } from 'node:http';
import type { EngineProtocol, LEGACY_GENERATION } from './generations.js';
import type { EnginePacketEvent } from './packet-events.js';
import type { CloseReason, Transport } from './transport.js';

export type SessionState = 'open' | 'closing' | 'closed';

/** What every generation's session emits, by engine.io's names (`socket.conn.on(…)`). */
export interface ConnectionEvents {
  /** The session is over; it never emits again. */
  close: [reason: CloseReason, error: Error | undefined];
  /** A websocket probe succeeded and the upgrade is under way (Engine.IO sessions only). */
  upgrading: [transport: { readonly name: string }];
  /** The session now runs over a new transport (Engine.IO sessions only). */
  upgrade: [transport: { readonly name: string }];
  /** A packet arrived (while listened to; a 0.9 session's carry their text, see legacyPacketEvent). */
  packet: [packet: EnginePacketEvent];
  /** A message arrived (Engine.IO sessions only, while listened to). */
  data: [data: string | Buffer];
  /** A packet was queued for the client (while listened to; 0.9 sessions too). */
  packetCreate: [packet: EnginePacketEvent];
  /** Queued packets are about to be written (Engine.IO sessions only, while listened to). */
  flush: [packets: EnginePacketEvent[]];
  /** Queued packets were handed to the transport (Engine.IO sessions only, while listened to). */
  drain: [];
}

/** What an Engine.IO `Session` emits: every generation's events, and Engine.IO's own. */
export interface SessionEvents extends ConnectionEvents {
  /** A message from the client: a string, or a Buffer for binary data. */
  message: [data: string | Buffer];
  /** The client answered a ping (Engine.IO v4), or pinged (v3). */
  heartbeat: [];
  /** A websocket probe succeeded and the upgrade is under way (engine.io hands the transport too). */
  upgrading: [transport: Transport];
  /** The session now runs over a new transport (its `name` says which). */
  upgrade: [transport: Transport];
}

/**
 * `socket.conn` as socket.io apps use it, whatever the client's generation: an Engine.IO `Session`
 * (socket.io-client 2.x to 4.x) or a 0.9 `LegacySession`, told apart by `protocol` (4, 3 or 1). The 0.9
 * protocol has no upgrade and no Engine.IO packets, so of the events only `close` comes from those.
 */
export interface Connection {
  readonly id: string;
  /** 4: socket.io-client 3.x and 4.x; 3: 2.x; 1: 0.7 to 0.9. */
  readonly protocol: EngineProtocol | typeof LEGACY_GENERATION.protocol;
  /** The HTTP request that opened the session. */
  readonly request: IncomingMessage;
  readonly remoteAddress: string;
  readonly readyState: SessionState;
  readonly transport: { readonly name: string };
  /** Whether the session moved to websocket after starting on polling. */
  readonly upgraded: boolean;
  /** Whether a websocket is taking the session over from polling now (never, for the 0.9 protocol). */
  readonly upgrading: boolean;
  /** When the session opened, in milliseconds since the epoch. */
  readonly openedAt: number;
  /** Whether a packet sent now would leave at once (what volatile emits check). */
  readonly writable: boolean;
  /** Closes the session from the server side. */
  close(): void;
  on<K extends keyof ConnectionEvents>(event: K, listener: (...args: ConnectionEvents[K]) => void): this;
  once<K extends keyof ConnectionEvents>(event: K, listener: (...args: ConnectionEvents[K]) => void): this;
  off<K extends keyof ConnectionEvents>(event: K, listener: (...args: ConnectionEvents[K]) => void): this;
}

/**
 * The one consumer the engine hands a session to (the Socket.IO client): told of each message and of the
 * end before the session's listeners are, through two methods rather than two listener closures.
 * @internal
 */
export interface SessionReceiver {
  ondata(data: string | Buffer): void;
  onclose(reason: CloseReason, error: Error | undefined): void;
}
