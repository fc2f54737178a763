import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { EnginePacketType } from '../protocol/engine-packet.js';
import type { TransportName } from './options.js';
import { PreparedMessage } from './prepared-message.js';
import { type CloseReason, DETACHED_SINK, type OutgoingItem, type Transport, type TransportSink } from './transport.js';

export type SessionState = 'open' | 'closing' | 'closed';

export interface SessionEvents {
  /** A message from the client: a string, or a Buffer for binary data. */
  message: [data: string | Buffer];
  /** The session is over; it never emits again. */
  close: [reason: CloseReason, error: Error | undefined];
  /** The client answered a ping. */
  heartbeat: [];
  /** A websocket probe succeeded and the upgrade is under way. */
  upgrading: [transport: TransportName];
  /** The session now runs over a new transport. */
  upgrade: [transport: TransportName];
}

export interface SessionInit {
  id: string;
  request: IncomingMessage;
  transport: Transport;
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  /** Called once, when the session is closed for good. */
  onClosed(session: Session): void;
}

const NOOP: readonly EnginePacket[] = [{ type: EnginePacketType.NOOP }];
const CLOSE_PACKET: EnginePacket = { type: EnginePacketType.CLOSE };
const PING_PACKET: EnginePacket = { type: EnginePacketType.PING };
const PROBE_PONG: readonly EnginePacket[] = [{ type: EnginePacketType.PONG, data: 'probe' }];

const now = (): number => performance.now();

/** Sessions with something queued this tick: one nextTick flushes them all. */
const dirty: Session[] = [];
let drainScheduled = false;

/**
 * The virtual socket: one Engine.IO session whatever transport carries it. Packets sent within one
 * tick leave together; heartbeat deadlines are fixed points in time, checked by a timer and on every
 * request.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  /** Engine.IO protocol revision spoken by the client. */
  readonly protocol = 4;
  /** The request that opened the session. */
  readonly request: IncomingMessage;
  #state: SessionState = 'open';
  #sink: TransportSink;
  #transport: Transport;
  #buffer: OutgoingItem[] = [];
  #flushScheduled = false;

  readonly #pingInterval: number;
  readonly #pingTimeout: number;
  readonly #upgradeTimeout: number;
  readonly #onClosed: (session: Session) => void;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #pingDue = 0;
  #pongDeadline = 0;
  #awaitingPong = false;

  #probe: Transport | null = null;
  #probeAnswered = false;
  #upgradeTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(init: SessionInit) {
    super();
    this.id = init.id;
    this.request = init.request;
    this.#pingInterval = init.pingInterval;
    this.#pingTimeout = init.pingTimeout;
    this.#upgradeTimeout = init.upgradeTimeout;
    this.#onClosed = init.onClosed;
    this.#transport = init.transport;
    this.#transport.sink = this.#sink = new Session.#MainSink(this);
    this.#pingDue = now() + this.#pingInterval;
    this.#armHeartbeat(this.#pingInterval);
  }

  get readyState(): SessionState {
    return this.#state;
  }

  /** The transport that carries the session now (`session.transport.name`: 'polling' or 'websocket'). */
  get transport(): Transport {
    return this.#transport;
  }

  /** Whether a packet sent now would leave at once (used by volatile emits). */
  get writable(): boolean {
    return this.#state === 'open' && !this.#probeAnswered && this.#transport.writable && !this.#transport.congested;
  }

  /** Whether a websocket probe is attached to this session (an upgrade is in progress). */
  get upgrading(): boolean {
    return this.#probe !== null;
  }

  /** Queues a message; every message queued in the same tick leaves in one write. */
  send(data: string | Buffer): this {
    if (this.#state === 'open') this.#enqueue(new PreparedMessage(data));
    return this;
  }

  /** Queues a message prepared once for many sessions (a broadcast). */
  sendPrepared(message: PreparedMessage): this {
    if (this.#state === 'open') this.#enqueue(message);
    return this;
  }

  /** Alias of {@link send}, as in engine.io. */
  write(data: string | Buffer): this {
    return this.send(data);
  }

  /**
   * Closes the session from the server side: queued packets are delivered, then a close packet in a
   * write of its own. Over polling that takes the client's next GET (waiting at most one ping timeout).
   */
  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeTimer = setTimeout(() => this.#finalize('forced close'), this.#pingTimeout);
    this.#closeWhenDrained();
  }

  /**
   * While closing: what is queued leaves first, the close packet only in a later write. One polling body
   * never carries both, because socket.io-client handles messages a tick after engine.io-client has acted
   * on a close packet in the same body, and would lose them.
   */
  #closeWhenDrained(): void {
    if (!this.#transport.writable) return;
    this.#flushNow();
    if (!this.#transport.writable) return; // polling: the close packet waits for the next GET
    this.#transport.send([CLOSE_PACKET]);
    this.#finalize('forced close');
  }

  /**
   * Ends the session at once (the close packet goes out if the transport can take it now).
   * @internal Used by the engine when it shuts down.
   */
  shutdown(reason: CloseReason): void {
    if (this.#state === 'closed') return;
    if (this.#transport.writable) this.#transport.send([CLOSE_PACKET]);
    this.#finalize(reason);
  }

  /**
   * Applies the heartbeat deadline now; returns false (and closes the session) when it has passed.
   * @internal Called by the engine on every request that names this session.
   */
  checkHeartbeat(): boolean {
    if (this.#awaitingPong && now() >= this.#pongDeadline) {
      this.#finalize('ping timeout');
      return false;
    }
    return this.#state !== 'closed';
  }

  /**
   * Attaches a websocket that wants to take over this polling session. It becomes the transport once
   * the client completes the probe (`2probe` → `3probe`, then `5`) within upgradeTimeout.
   * @internal Called by the engine.
   */
  attachProbe(probe: Transport): boolean {
    if (this.#state !== 'open' || this.#probe !== null || this.#transport.name === probe.name) return false;
    this.#probe = probe;
    probe.sink = new Session.#ProbeSink(this);
    this.#upgradeTimer = setTimeout(() => this.#dropProbe(), this.#upgradeTimeout);
    return true;
  }


  #enqueue(item: OutgoingItem): void {
    this.#buffer.push(item);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    dirty.push(this);
    if (!drainScheduled) {
      drainScheduled = true;
      process.nextTick(Session.#drain);
    }
  }

  /** Flushes every session that queued something this tick. */
  static #drain(): void {
    drainScheduled = false;
    for (let i = 0; i < dirty.length; i++) dirty[i]!.#flushTick();
    dirty.length = 0;
  }

  #flushTick(): void {
    this.#flushScheduled = false;
    if (this.#probeAnswered) return; // held for the websocket that is taking over
    if (this.#transport.writable) this.#flushNow();
  }

  #flushNow(): void {
    if (this.#buffer.length === 0) return;
    const packets = this.#buffer;
    this.#buffer = [];
    this.#transport.send(packets);
  }

  #onPacket(packet: EnginePacket): void {
    if (this.#state === 'closed') return;
    switch (packet.type) {
      case EnginePacketType.MESSAGE:
        this.emit('message', packet.data ?? '');
        return;
      case EnginePacketType.PONG:
        if (this.#awaitingPong) {
          this.#awaitingPong = false;
          this.#pingDue = now() + this.#pingInterval;
          this.#armHeartbeat(this.#pingInterval);
        }
        this.emit('heartbeat');
        return;
      case EnginePacketType.CLOSE:
        this.#finalize('transport close');
        return;
      case EnginePacketType.OPEN:
        this.#finalize('parse error');
        return;
      default:
        // ping, upgrade and noop mean nothing on an established transport
        return;
    }
  }

  #armHeartbeat(delay: number): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = setTimeout(Session.#onHeartbeatTimer, Math.max(0, delay), this);
  }

  static #onHeartbeatTimer(session: Session): void {
    session.#heartbeat();
  }

  #heartbeat(): void {
    if (this.#state === 'closed') return;
    const t = now();
    if (this.#awaitingPong) {
      if (t >= this.#pongDeadline) this.#finalize('ping timeout');
      else this.#armHeartbeat(this.#pongDeadline - t);
      return;
    }
    if (t < this.#pingDue) {
      this.#armHeartbeat(this.#pingDue - t);
      return;
    }
    this.#awaitingPong = true;
    this.#pongDeadline = this.#pingDue + this.#pingTimeout;
    this.#enqueue(PING_PACKET);
    this.#armHeartbeat(this.#pongDeadline - t);
  }

  #onDrain(): void {
    if (this.#state === 'closing') {
      this.#closeWhenDrained();
    } else if (this.#probeAnswered) {
      // End the client's poll cycle so it can finish the upgrade.
      this.#transport.send(NOOP);
    } else {
      this.#flushNow();
    }
  }

  #onProbePacket(packet: EnginePacket): void {
    const probe = this.#probe;
    if (probe === null) return;
    if (packet.type === EnginePacketType.PING && packet.data === 'probe' && !this.#probeAnswered) {
      probe.send(PROBE_PONG);
      this.#probeAnswered = true;
      this.emit('upgrading', probe.name);
      if (this.#transport.writable) this.#transport.send(NOOP);
    } else if (packet.type === EnginePacketType.UPGRADE && this.#probeAnswered) {
      this.#completeUpgrade(probe);
    } else {
      this.#dropProbe();
    }
  }

  /** What the current transport reports to: one small object per session, no closures. */
  static readonly #MainSink = class MainSink implements TransportSink {
    readonly #session: Session;
    constructor(session: Session) {
      this.#session = session;
    }
    onPacket(packet: EnginePacket): void {
      this.#session.#onPacket(packet);
    }
    onDrain(): void {
      this.#session.#onDrain();
    }
    onError(reason: CloseReason, error?: Error): void {
      this.#session.#finalize(reason, error);
    }
    onClose(): void {
      this.#session.#finalize('transport close');
    }
  };

  /** What a websocket probe reports to while it tries to take over. */
  static readonly #ProbeSink = class ProbeSink implements TransportSink {
    readonly #session: Session;
    constructor(session: Session) {
      this.#session = session;
    }
    onPacket(packet: EnginePacket): void {
      this.#session.#onProbePacket(packet);
    }
    onDrain(): void {}
    onError(): void {
      this.#session.#dropProbe();
    }
    onClose(): void {
      this.#session.#dropProbe();
    }
  };

  #completeUpgrade(probe: Transport): void {
    clearTimeout(this.#upgradeTimer);
    const previous = this.#transport;
    this.#probe = null;
    this.#probeAnswered = false;
    this.#transport = probe;
    probe.sink = this.#sink;
    previous.sink = DETACHED_SINK;
    previous.close();
    this.emit('upgrade', probe.name);
    if (this.#state === 'closing') this.#closeWhenDrained();
    else this.#flushNow();
  }

  #dropProbe(): void {
    const probe = this.#probe;
    if (probe === null) return;
    clearTimeout(this.#upgradeTimer);
    this.#probe = null;
    this.#probeAnswered = false;
    probe.sink = DETACHED_SINK;
    probe.close();
    // Whatever was held back for the websocket goes out over polling after all.
    if (this.#buffer.length > 0) this.#scheduleFlush();
  }

  #finalize(reason: CloseReason, error?: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#heartbeatTimer);
    clearTimeout(this.#closeTimer);
    this.#dropProbe();
    const transport = this.#transport;
    transport.sink = DETACHED_SINK;
    // A poll held open learns that the server ended the session; after the client's own close it just ends.
    if (reason !== 'transport close' && transport.name === 'polling' && transport.writable) transport.send([CLOSE_PACKET]);
    transport.close();
    this.#buffer = [];
    this.#onClosed(this);
    this.emit('close', reason, error);
  }
}
