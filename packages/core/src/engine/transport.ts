import { type EnginePacket, EnginePacketType } from '../protocol/engine-packet.js';
import type { TransportName } from './options.js';
import type { PreparedMessage } from './prepared-message.js';

/** A lone noop: ends a held poll without news. Shared, never written to. */
export const NOOP_PAYLOAD: readonly EnginePacket[] = Object.freeze([Object.freeze({ type: EnginePacketType.NOOP })]);
/** A lone close packet: tells the client the session is over. Shared, never written to. */
export const CLOSE_PAYLOAD: readonly EnginePacket[] = Object.freeze([Object.freeze({ type: EnginePacketType.CLOSE })]);
/** The answer to a poll that arrives once the session is closing with nothing left to send (engine.io's). */
export const NOOP_CLOSE_PAYLOAD: readonly EnginePacket[] = Object.freeze([...NOOP_PAYLOAD, ...CLOSE_PAYLOAD]);

/** What a session queues: a control packet, or a message prepared for the wire. */
export type OutgoingItem = EnginePacket | PreparedMessage;

/** Why a session ended: the reasons engine.io users know. */
export type CloseReason =
  | 'transport close'
  | 'transport error'
  | 'parse error'
  | 'ping timeout'
  | 'forced close'
  | 'server shutting down';

/**
 * What a transport reports to its owner (the session). A plain object with methods rather than an
 * event emitter: the owner is always exactly one, and the packet path allocates nothing.
 */
export interface TransportSink {
  /** A packet arrived from the client. */
  onPacket(packet: EnginePacket): void;
  /** The transport can take packets now (polling: a GET is waiting). */
  onDrain(): void;
  /** The transport failed or the client broke its rules; the session must close. */
  onError(reason: CloseReason, error?: Error): void;
  /** The client closed the transport. */
  onClose(): void;
}

/** One way of moving Engine.IO packets: long-polling or websocket. */
export abstract class Transport {
  abstract readonly name: TransportName;
  sink: TransportSink;

  constructor(sink: TransportSink) {
    this.sink = sink;
  }

  /** Whether {@link send} may be called now. */
  abstract get writable(): boolean;

  /** Whether the client is reading slower than the server writes (volatile packets are then dropped). */
  get congested(): boolean {
    return false;
  }

  /**
   * Whether an earlier {@link send} is still on its way out (websocket: until ws's send callback).
   * Normal packets are written anyway; volatile ones are dropped, as engine.io's transport is not
   * writable meanwhile.
   */
  get sending(): boolean {
    return false;
  }

  /** Writes packets to the client; call only while {@link writable}. */
  abstract send(packets: readonly OutgoingItem[]): void;

  /**
   * Releases the transport without sending any packet of its own (a waiting polling GET is answered
   * with a noop so that the client's request ends cleanly). Idempotent.
   */
  abstract close(): void;
}

/** A sink that drops everything: installed on a transport once its session is done with it. */
export const DETACHED_SINK: TransportSink = {
  onPacket() {},
  onDrain() {},
  onError() {},
  onClose() {},
};
