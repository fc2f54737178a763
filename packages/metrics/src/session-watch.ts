import type { CloseReason, EnginePacketEvent, LegacySession, Session } from '@switchyard/core';
import { answeredAck, answeredLegacyAck, askedAck, askedLegacyAck } from './ack-ids.js';
import { byteLength, bump, type Generation, generationOf, type GenerationTally } from './tally.js';

/** A session of any generation: an Engine.IO one, or a 0.9 one. */
export type AnySession = Session | LegacySession;

const SLOW_CONSUMER = 'ERR_ENGINE_SLOW_CONSUMER';

type AckKey = (data: string | Buffer | undefined) => string | undefined;

/** The ack parsers of one wire: Engine.IO's Socket.IO packets, or the 0.9 text. */
const ENGINE_ACKS = { asked: askedAck, answered: answeredAck };
const LEGACY_ACKS = { asked: askedLegacyAck, answered: answeredLegacyAck };

/** Each generation's ack parsers, by its name. */
const ACKS_OF: Readonly<Record<Generation, typeof ENGINE_ACKS>> = { '4.x': ENGINE_ACKS, '2.x': ENGINE_ACKS, '0.9': LEGACY_ACKS };

/**
 * Follows one session: counts its packets and bytes both ways, times the acknowledgements the server
 * asks for, and on close counts the disconnection and what was still unanswered.
 */
export class SessionWatch {
  readonly #session: AnySession;
  readonly #tally: GenerationTally;
  readonly #observeAck: (seconds: number) => void;
  readonly #onEnd: (watch: SessionWatch) => void;
  readonly #asked: AckKey;
  readonly #answered: AckKey;
  /** Acks asked for and not answered yet: key → when asked (ms). Created by the first one. */
  #pending: Map<string, number> | undefined;

  constructor(session: AnySession, tally: GenerationTally, observeAck: (seconds: number) => void, onEnd: (watch: SessionWatch) => void) {
    this.#session = session;
    this.#tally = tally;
    this.#observeAck = observeAck;
    this.#onEnd = onEnd;
    const acks = ACKS_OF[generationOf(session.protocol)];
    this.#asked = acks.asked;
    this.#answered = acks.answered;
    tally.connections++;
    session.on('packet', this.#onPacket);
    session.on('packetCreate', this.#onPacketCreate);
    session.on('close', this.#onClose);
  }

  /** Stops following the session (the metrics are closed). */
  stop(): void {
    this.#session.off('packet', this.#onPacket);
    this.#session.off('packetCreate', this.#onPacketCreate);
    this.#session.off('close', this.#onClose);
  }

  readonly #onPacket = (packet: EnginePacketEvent): void => {
    const tally = this.#tally;
    tally.packetsIn++;
    tally.bytesIn += byteLength(packet.data);
    if (packet.type !== 'message' || this.#pending === undefined) return;
    const key = this.#answered(packet.data);
    const asked = key === undefined ? undefined : this.#pending.get(key);
    if (asked === undefined) return;
    this.#pending.delete(key!);
    this.#observeAck((performance.now() - asked) / 1000);
  };

  readonly #onPacketCreate = (packet: EnginePacketEvent): void => {
    const tally = this.#tally;
    tally.packetsOut++;
    tally.bytesOut += byteLength(packet.data);
    if (packet.type !== 'message') return;
    const key = this.#asked(packet.data);
    if (key !== undefined) (this.#pending ??= new Map()).set(key, performance.now());
  };

  readonly #onClose = (reason: CloseReason, error: Error | undefined): void => {
    const tally = this.#tally;
    bump(tally.disconnections, reason);
    if ((error as { code?: unknown } | undefined)?.code === SLOW_CONSUMER) tally.slowConsumers++;
    tally.acksUnanswered += this.#pending?.size ?? 0;
    this.#pending = undefined;
    this.stop();
    this.#onEnd(this);
  };
}
