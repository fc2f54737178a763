import { OutboundBuffer } from './outbound-buffer.js';
import { PreparedMessage } from './prepared-message.js';
import { TickBatch } from './tick-batch.js';
import { CLOSE_PAYLOAD, DETACHED_SINK, NOOP_CLOSE_PAYLOAD, NOOP_PAYLOAD, type OutgoingItem, type Transport } from './transport.js';
import { UpgradeProbe, type UpgradeProbeListener } from './upgrade-probe.js';

/** What a carrier tells its session. */
export interface SessionCarrierOwner {
  /** Most bytes of messages that may wait for a transport that cannot take them (the engine's maxWriteBuffer). */
  readonly maxWriteBuffer: number;
  /** Packets are about to be written. */
  flushing(packets: readonly OutgoingItem[]): void;
  /** Packets were handed to the transport. */
  flushed(): void;
  /** Too much waits for a transport that cannot take it: the session is to close with `error`. */
  overflowed(error: Error): void;
  /** A websocket probe was answered (`3probe`): what is queued now waits for it. */
  upgrading(probe: Transport): void;
  /** The websocket took over (the client sent `5`); it is the transport now. */
  upgraded(probe: Transport): void;
}

/**
 * What carries one Engine.IO session to its client: what waits to be sent (it is that OutboundBuffer
 * itself, one object less per session), the transport of the moment, and a websocket trying to take over
 * from polling. Packets queued within one tick leave together, in one write, when the transport can take
 * them; while it cannot (no poll waiting, an upgrade holding writes back) they wait, under the
 * slow-consumer rule.
 */
export class SessionCarrier extends OutboundBuffer<OutgoingItem> implements UpgradeProbeListener {
  #transport: Transport;
  readonly #owner: SessionCarrierOwner;
  #scheduled = false;
  #probe: UpgradeProbe | null = null;
  #upgraded = false;

  constructor(transport: Transport, owner: SessionCarrierOwner) {
    super();
    this.#transport = transport;
    this.#owner = owner;
  }

  /** The transport that carries the session now. */
  get transport(): Transport {
    return this.#transport;
  }

  /** Whether writes wait for a websocket that is taking over (its probe was answered). */
  get holding(): boolean {
    return this.#probe?.answered === true;
  }

  /** Whether a websocket probe is attached (an upgrade is in progress). */
  get upgrading(): boolean {
    return this.#probe !== null;
  }

  /** Whether a websocket took over from polling. */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** Queues an item (a message counts toward maxWriteBuffer, a control packet does not); see {@link schedule}. */
  queue(item: OutgoingItem): void {
    if (item instanceof PreparedMessage) this.push(item, item.data.length);
    else this.pushControl(item);
  }

  /** Makes what is queued leave at the end of this tick (or wait, if the transport cannot take it then). */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    SessionCarrier.#batch.add(this);
  }

  /** Writes everything queued now; call only while the transport is writable. */
  flush(): void {
    const packets = this.take();
    if (packets === undefined) return;
    this.#owner.flushing(packets);
    this.#transport.send(packets);
    this.#owner.flushed();
  }

  /**
   * While closing: what is queued leaves first, the close packet only in a later write. One polling body
   * never carries both, because socket.io-client handles messages a tick after engine.io-client has acted
   * on a close packet in the same body, and would lose them. A poll that finds nothing left (`polled`) is
   * answered with a noop before the close packet, byte for byte as engine.io answers it. Returns whether
   * the close packet went out.
   */
  closeWhenDrained(polled: boolean): boolean {
    if (!this.#transport.writable) return false;
    this.flush();
    if (!this.#transport.writable) return false; // polling: the close packet waits for the next GET
    this.#transport.send(polled && this.#transport.name === 'polling' ? NOOP_CLOSE_PAYLOAD : CLOSE_PAYLOAD);
    return true;
  }

  /**
   * Attaches a websocket that wants to take over: it becomes the transport once the client completes the
   * probe (`2probe` → `3probe`, then `5`) within `timeout` milliseconds. False when an attempt is under way
   * already, or the session runs over that kind of transport.
   */
  attachProbe(probe: Transport, timeout: number): boolean {
    if (this.#probe !== null || this.#transport.name === probe.name) return false;
    this.#probe = new UpgradeProbe(probe, this, timeout);
    return true;
  }

  /** Gives up the upgrade under way, if any: the websocket is closed. */
  dropProbe(): void {
    const probe = this.#probe;
    if (probe === null) return;
    this.#probe = null;
    probe.cancel();
    // Whatever was held back for the websocket goes out over polling after all.
    if (!this.empty) this.schedule();
  }

  /** The session is over: the transport is let go (a poll held open first learns so when `notifyPoll`), nothing more is sent. */
  end(notifyPoll: boolean): void {
    this.dropProbe();
    const transport = this.#transport;
    transport.sink = DETACHED_SINK;
    if (notifyPoll && transport.name === 'polling' && transport.writable) transport.send(CLOSE_PAYLOAD);
    transport.close();
    this.take();
  }

  onProbeAnswered(probe: Transport): void {
    this.#owner.upgrading(probe);
    if (this.#transport.writable) this.#transport.send(NOOP_PAYLOAD);
  }

  onUpgrade(): void {
    const probe = this.#probe?.finish();
    if (probe === undefined) return;
    this.#probe = null;
    this.#upgraded = true;
    const previous = this.#transport;
    this.#transport = probe;
    probe.sink = previous.sink;
    previous.sink = DETACHED_SINK;
    previous.close();
    this.#owner.upgraded(probe);
  }

  onProbeFailed(): void {
    this.dropProbe();
  }

  /** The carriers with something queued this tick: one nextTick flushes them all. */
  static readonly #batch = new TickBatch<SessionCarrier>((carrier) => carrier.#flushTick());

  #flushTick(): void {
    this.#scheduled = false;
    if (this.#probe?.answered !== true && this.#transport.writable) {
      this.flush();
      return;
    }
    // Held: no poll is waiting, or the websocket taking over is not ready (see OutboundBuffer for the rule).
    const overflow = this.overflow(this.#owner.maxWriteBuffer);
    if (overflow !== undefined) this.#owner.overflowed(overflow);
  }
}
