import type { CloseReason } from '../transport.js';

/** The transports of the 0.9 protocol, by the names its clients use in their URLs. */
export type LegacyTransportName = 'websocket' | 'flashsocket' | 'htmlfile' | 'xhr-multipart' | 'xhr-polling' | 'jsonp-polling';

export const LEGACY_TRANSPORTS: readonly LegacyTransportName[] = [
  'websocket',
  'flashsocket',
  'htmlfile',
  'xhr-multipart',
  'xhr-polling',
  'jsonp-polling',
];

/** What a 0.9 transport reports to its session. */
export interface LegacyTransportSink {
  /** A body (a payload of packets) or a websocket frame arrived from the client. */
  onData(body: string): void;
  /** The transport can take packets now. */
  onDrain(): void;
  /** Polling: the poll was answered or dropped; the client must come back within the close timeout. */
  onIdle(): void;
  /** A persistent transport's connection ended. */
  onClose(): void;
  /** The transport gave up on its client (one that stopped reading: ERR_ENGINE_SLOW_CONSUMER); onClose follows. */
  onError(reason: CloseReason, error: Error): void;
}

export const DETACHED_LEGACY_SINK: LegacyTransportSink = {
  onData() {},
  onDrain() {},
  onIdle() {},
  onClose() {},
  onError() {},
};

/**
 * One way of moving 0.9 packets. Persistent transports (websocket, flashsocket, htmlfile, xhr-multipart)
 * hold one connection and carry heartbeats; polling ones (xhr-polling, jsonp-polling) answer one GET at a
 * time.
 */
export abstract class LegacyTransport {
  abstract readonly name: LegacyTransportName;
  /** Whether the connection stays open (heartbeats) rather than one request per answer. */
  abstract readonly persistent: boolean;
  sink: LegacyTransportSink = DETACHED_LEGACY_SINK;

  /** Whether {@link send} may be called now. */
  abstract get writable(): boolean;

  /**
   * Whether an earlier {@link send} is still being written (persistent transports: until the write's
   * callback). Volatile packets are dropped meanwhile, as 0.9 dropped them until its buffer had drained.
   */
  get sending(): boolean {
    return false;
  }

  /** Writes encoded packets (call only while writable). */
  abstract send(packets: readonly string[]): void;

  /** Ends the connection without writing any packet of its own. Idempotent. */
  abstract close(): void;
}
