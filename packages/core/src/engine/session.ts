import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { EnginePacketType } from '../protocol/engine-packet.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { consoleLogger, type Logger } from './logger.js';
import { Heartbeat, type HeartbeatEntry } from './heartbeat.js';
import type { ConnectionEvents } from './connection.js';
import { OutboundBuffer } from './outbound-buffer.js';
import { incomingPacketEvent, outgoingPacketEvent, type SendOptions, WsFrameKind } from './packet-events.js';
import { PreparedMessage } from './prepared-message.js';
import { type RequestInfo, requestInfoOf, retainRequest } from './retained-request.js';
import { UpgradeProbe, type UpgradeProbeListener } from './upgrade-probe.js';
import { CLOSE_PAYLOAD, type CloseReason, DETACHED_SINK, NOOP_CLOSE_PAYLOAD, NOOP_PAYLOAD, type OutgoingItem, type Transport, type TransportSink } from './transport.js';

const log = createDebug('switchyard:engine');

export type SessionState = 'open' | 'closing' | 'closed';

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

export interface SessionSettings {
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  /** Most bytes of messages that may wait for a transport that cannot take them (a polling client away). */
  maxWriteBuffer: number;
  /** Called once per session, when it is closed for good. */
  onClosed(session: Session): void;
  /** Where a session dropped as a slow consumer is reported. Default: the console. */
  logger?: Logger;
}

/** What the sessions of one engine share: their settings and one heartbeat for all of them. */
export interface SessionGroup {
  readonly heartbeat: Heartbeat<Session>;
  readonly pingTimeout: number;
  readonly upgradeTimeout: number;
  readonly maxWriteBuffer: number;
  readonly onClosed: (session: Session) => void;
  readonly logger: Logger;
}

export interface SessionInit {
  id: string;
  request: IncomingMessage;
  transport: Transport;
  /** Made once per engine by {@link Session.group}. */
  group: SessionGroup;
  /** Engine.IO revision the client speaks. Default 4. */
  protocol?: 3 | 4;
}

const PING_PACKET: EnginePacket = { type: EnginePacketType.PING };
const PONG_PACKET: EnginePacket = { type: EnginePacketType.PONG };

/** Sessions with something queued this tick: one nextTick flushes them all. */
const dirty: Session[] = [];
let drainScheduled = false;

/**
 * The virtual socket: one Engine.IO session whatever transport carries it. Packets sent within one
 * tick leave together; heartbeat deadlines are fixed points in time, checked by the engine's heartbeat
 * timers and on every request.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  /** Engine.IO protocol revision spoken by the client: 4, or 3 for socket.io-client 2.x. */
  readonly protocol: 3 | 4;
  /** The request that opened the session (kept as {@link retainRequest} says). */
  declare readonly request: IncomingMessage;
  /** The client's address, read at the handshake (engine.io's `socket.conn.remoteAddress`). */
  readonly remoteAddress: string;
  /** When the session opened, in milliseconds since the epoch. */
  readonly openedAt = Date.now();
  #state: SessionState = 'open';
  #transport: Transport;
  /** What waits to be sent, and the slow-consumer rule. */
  readonly #buffer = new OutboundBuffer<OutgoingItem>();
  #flushScheduled = false;
  readonly #group: SessionGroup;
  readonly #heartbeat: HeartbeatEntry<Session>;

  #probe: UpgradeProbe | null = null;
  #upgraded = false;
  #closeTimer: NodeJS.Timeout | undefined;

  constructor(init: SessionInit) {
    super();
    this.id = init.id;
    retainRequest(this, init.request);
    this.remoteAddress = init.request.socket.remoteAddress ?? '';
    this.#group = init.group;
    this.protocol = init.protocol ?? 4;
    this.#transport = init.transport;
    this.#transport.sink = new Session.#MainSink(this);
    // A v4 client answers the server's pings; a v3 client pings the server and must not fall silent.
    this.#heartbeat = this.protocol === 3 ? this.#group.heartbeat.watch(this) : this.#group.heartbeat.start(this);
  }

  /**
   * Makes what the sessions of one engine share; pings and ping timeouts of all of them run on the same
   * two timers.
   * @internal Called once by the engine.
   */
  static group(settings: SessionSettings): SessionGroup {
    return {
      heartbeat: new Heartbeat<Session>({
        interval: settings.pingInterval,
        timeout: settings.pingTimeout,
        ping: (session) => session.#enqueue(PING_PACKET),
        expire: (session) => session.#finalize('ping timeout'),
      }),
      pingTimeout: settings.pingTimeout,
      upgradeTimeout: settings.upgradeTimeout,
      maxWriteBuffer: settings.maxWriteBuffer,
      onClosed: settings.onClosed,
      logger: settings.logger ?? consoleLogger,
    };
  }

  /** @internal What the session kept of its request, read without rebuilding it (`socket.handshake`). */
  get requestInfo(): RequestInfo | undefined {
    return requestInfoOf(this);
  }

  get readyState(): SessionState {
    return this.#state;
  }

  /** The transport that carries the session now (`session.transport.name`: 'polling' or 'websocket'). */
  get transport(): Transport {
    return this.#transport;
  }

  /**
   * Whether a packet sent now would leave at once, as engine.io judges it for volatile emits: not when
   * something already waits for this tick's write (engine.io would have written it and be busy), nor
   * while the transport cannot take a write (polling: no GET waiting) or is still writing the last one
   * (websocket), nor while an upgrade holds writes back or the client reads too slowly.
   */
  get writable(): boolean {
    const transport = this.#transport;
    return (
      this.#state === 'open' &&
      this.#buffer.empty &&
      this.#probe?.answered !== true &&
      transport.writable &&
      !transport.sending &&
      !transport.congested
    );
  }

  /** Whether the session moved to websocket after starting on polling (engine.io's `upgraded`). */
  get upgraded(): boolean {
    return this.#upgraded;
  }

  /** Whether a websocket probe is attached to this session (an upgrade is in progress). */
  get upgrading(): boolean {
    return this.#probe !== null;
  }

  /** Queues a message; every message queued in the same tick leaves in one write. */
  send(data: string | Buffer, options?: SendOptions): this {
    if (this.#state === 'open') this.#enqueue(new PreparedMessage(data), options);
    return this;
  }

  /** Queues a message prepared once for many sessions (a broadcast). */
  sendPrepared(message: PreparedMessage, options?: SendOptions): this {
    if (this.#state === 'open') this.#enqueue(message, options);
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
    this.#closeTimer = setTimeout(() => this.#finalize('forced close'), this.#group.pingTimeout);
    this.#closeWhenDrained();
  }

  /**
   * While closing: what is queued leaves first, the close packet only in a later write. One polling body
   * never carries both, because socket.io-client handles messages a tick after engine.io-client has acted
   * on a close packet in the same body, and would lose them. A poll that finds nothing left (`polled`) is
   * answered with a noop before the close packet, byte for byte as engine.io answers it.
   */
  #closeWhenDrained(polled = false): void {
    if (!this.#transport.writable) return;
    this.#flushNow();
    if (!this.#transport.writable) return; // polling: the close packet waits for the next GET
    this.#transport.send(polled && this.#transport.name === 'polling' ? NOOP_CLOSE_PAYLOAD : CLOSE_PAYLOAD);
    this.#finalize('forced close');
  }

  /**
   * Ends the session at once (the close packet goes out if the transport can take it now).
   * @internal Used by the engine when it shuts down.
   */
  shutdown(reason: CloseReason): void {
    if (this.#state === 'closed') return;
    if (this.#transport.writable) this.#transport.send(CLOSE_PAYLOAD);
    this.#finalize(reason);
  }

  /**
   * Applies the heartbeat deadline now; returns false (and closes the session) when it has passed.
   * @internal Called by the engine on every request that names this session.
   */
  checkHeartbeat(): boolean {
    if (this.#group.heartbeat.expired(this.#heartbeat)) {
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
    this.#probe = new UpgradeProbe(probe, new Session.#ProbeListener(this), this.#group.upgradeTimeout);
    return true;
  }

  #enqueue(item: OutgoingItem, options?: SendOptions): void {
    if (item instanceof PreparedMessage) this.#buffer.push(item, item.data.length);
    else this.#buffer.pushControl(item);
    if (this.listenerCount('packetCreate') > 0) this.emit('packetCreate', outgoingPacketEvent(item, options, this.#frameKind));
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
    if (this.#probe?.answered !== true && this.#transport.writable) {
      this.#flushNow();
      return;
    }
    // Held: no poll is waiting, or the websocket taking over is not ready (see OutboundBuffer for the rule).
    const overflow = this.#buffer.overflow(this.#group.maxWriteBuffer);
    if (overflow !== undefined) this.#finalize('transport error', overflow);
  }

  #flushNow(): void {
    const packets = this.#buffer.take();
    if (packets === undefined) return;
    if (this.listenerCount('flush') > 0) this.emit('flush', packets.map((item) => outgoingPacketEvent(item, undefined, this.#frameKind)));
    this.#transport.send(packets);
    if (this.listenerCount('drain') > 0) this.emit('drain');
  }

  /** Which websocket frame of a prepared message this session sends it as now (none over polling). */
  get #frameKind(): WsFrameKind {
    return this.#transport.name !== 'websocket' ? WsFrameKind.NONE : this.protocol === 3 ? WsFrameKind.EIO3 : WsFrameKind.EIO4;
  }

  #onPacket(packet: EnginePacket): void {
    if (this.#state === 'closed') return;
    if (this.listenerCount('packet') > 0) this.emit('packet', incomingPacketEvent(packet));
    switch (packet.type) {
      case EnginePacketType.MESSAGE:
        if (this.listenerCount('data') > 0) this.emit('data', packet.data ?? '');
        this.emit('message', packet.data ?? '');
        return;
      case EnginePacketType.PONG:
        this.#group.heartbeat.pong(this.#heartbeat);
        this.emit('heartbeat');
        return;
      case EnginePacketType.PING:
        if (this.protocol !== 3) return;
        this.#group.heartbeat.pinged(this.#heartbeat);
        this.#enqueue(PONG_PACKET);
        this.emit('heartbeat');
        return;
      case EnginePacketType.CLOSE:
        this.#finalize('transport close');
        return;
      case EnginePacketType.OPEN:
        this.#finalize('parse error');
        return;
      default:
        // upgrade and noop mean nothing on an established transport
        return;
    }
  }

  #onDrain(): void {
    if (this.#state === 'closing') {
      this.#closeWhenDrained(true);
    } else if (this.#probe?.answered === true) {
      // End the client's poll cycle so it can finish the upgrade.
      this.#transport.send(NOOP_PAYLOAD);
    } else {
      this.#flushNow();
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

  /** What the upgrade attempt reports to. */
  static readonly #ProbeListener = class ProbeListener implements UpgradeProbeListener {
    readonly #session: Session;
    constructor(session: Session) {
      this.#session = session;
    }
    onProbeAnswered(probe: Transport): void {
      const session = this.#session;
      session.emit('upgrading', probe);
      if (session.#transport.writable) session.#transport.send(NOOP_PAYLOAD);
    }
    onUpgrade(): void {
      this.#session.#completeUpgrade();
    }
    onProbeFailed(): void {
      this.#session.#dropProbe();
    }
  };

  #completeUpgrade(): void {
    const probe = this.#probe?.finish();
    if (probe === undefined) return;
    this.#probe = null;
    this.#upgraded = true;
    const previous = this.#transport;
    this.#transport = probe;
    probe.sink = previous.sink;
    previous.sink = DETACHED_SINK;
    previous.close();
    if (log.enabled) log('upgrade sid=%s transport=websocket', this.id);
    this.emit('upgrade', probe);
    if (this.#state === 'closing') this.#closeWhenDrained();
    else this.#flushNow();
  }

  #dropProbe(): void {
    const probe = this.#probe;
    if (probe === null) return;
    this.#probe = null;
    probe.cancel();
    // Whatever was held back for the websocket goes out over polling after all.
    if (!this.#buffer.empty) this.#scheduleFlush();
  }

  #finalize(reason: CloseReason, error?: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#group.heartbeat.stop(this.#heartbeat);
    clearTimeout(this.#closeTimer);
    this.#dropProbe();
    const transport = this.#transport;
    transport.sink = DETACHED_SINK;
    // A poll held open learns that the server ended the session; after the client's own close it just ends.
    if (reason !== 'transport close' && transport.name === 'polling' && transport.writable) transport.send(CLOSE_PAYLOAD);
    transport.close();
    this.#buffer.take();
    this.#group.onClosed(this);
    if (error instanceof EngineError && error.code === EngineErrorCode.SLOW_CONSUMER) {
      this.#group.logger.warn({ sid: this.id, transport: transport.name, err: error }, 'a slow consumer was dropped');
    }
    if (log.enabled) log('close sid=%s reason=%s%s', this.id, reason, error === undefined ? '' : ` error=${error.message}`);
    this.emit('close', reason, error);
  }
}
