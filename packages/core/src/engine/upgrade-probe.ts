import { type EnginePacket, EnginePacketType } from '../protocol/engine-packet.js';
import { DETACHED_SINK, type Transport, type TransportSink } from './transport.js';

const PROBE_PONG: readonly EnginePacket[] = [{ type: EnginePacketType.PONG, data: 'probe' }];

/** What a session learns from the websocket that tries to take it over. */
export interface UpgradeProbeListener {
  /** The client sent `2probe` and was answered `3probe`: hold back what is queued, end its poll. */
  onProbeAnswered(probe: Transport): void;
  /** The client sent `5`: the probe is to become the session's transport. */
  onUpgrade(probe: Transport): void;
  /** Anything else, a failure or upgradeTimeout: the attempt is over. */
  onProbeFailed(): void;
}

/**
 * One upgrade attempt: a websocket attached to a polling session, listened to until the client completes
 * the probe (`2probe` → `3probe`, then `5`) within `timeout` milliseconds.
 */
export class UpgradeProbe implements TransportSink {
  readonly transport: Transport;
  readonly #listener: UpgradeProbeListener;
  readonly #timer: NodeJS.Timeout;
  #answered = false;

  constructor(transport: Transport, listener: UpgradeProbeListener, timeout: number) {
    this.transport = transport;
    this.#listener = listener;
    transport.sink = this;
    this.#timer = setTimeout(() => listener.onProbeFailed(), timeout);
  }

  /** Whether `3probe` went out: from then on the session holds its packets for the websocket. */
  get answered(): boolean {
    return this.#answered;
  }

  onPacket(packet: EnginePacket): void {
    if (packet.type === EnginePacketType.PING && packet.data === 'probe' && !this.#answered) {
      this.transport.send(PROBE_PONG);
      this.#answered = true;
      this.#listener.onProbeAnswered(this.transport);
    } else if (packet.type === EnginePacketType.UPGRADE && this.#answered) {
      this.#listener.onUpgrade(this.transport);
    } else {
      this.#listener.onProbeFailed();
    }
  }

  onDrain(): void {}

  onError(): void {
    this.#listener.onProbeFailed();
  }

  onClose(): void {
    this.#listener.onProbeFailed();
  }

  /** The upgrade went through: the timer stops and the session takes the transport over. */
  finish(): Transport {
    clearTimeout(this.#timer);
    return this.transport;
  }

  /** The upgrade failed: the websocket is closed. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.transport.sink = DETACHED_SINK;
    this.transport.close();
  }
}
