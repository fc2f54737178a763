import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { EnginePacketType } from '../protocol/engine-packet.js';
import { EngineError, EngineErrorCode } from './errors.js';
import type { HeartbeatEntry } from './heartbeat.js';
import type { SessionEvents, SessionReceiver, SessionState } from './connection.js';
import { EIO4, type EngineGeneration, type EngineProtocol } from './generations.js';
import { type FrameOf, incomingPacketEvent, NO_FRAME_OF, outgoingPacketEvent, type SendOptions } from './packet-events.js';
import { PreparedMessage } from './prepared-message.js';
import { type SessionGroup as Group, sessionGroup, type SessionSettings } from './session-group.js';
import { SessionCarrier, type SessionCarrierOwner } from './session-carrier.js';
import { CLOSE_PAYLOAD, type CloseReason, NOOP_PAYLOAD, type OutgoingItem, type Transport, type TransportSink } from './transport.js';
import { retainRequest } from './retained-request.js';
import { dropListenerTable } from './listener-table.js';

const log = createDebug('switchyard:engine');

/** What the sessions of one engine share: their settings and one heartbeat for all of them. */
export type SessionGroup = Group<Session>;

export interface SessionInit {
  id: string;
  request: IncomingMessage;
  transport: Transport;
  /** Made once per engine by {@link Session.group}. */
  group: SessionGroup;
  /** The Engine.IO generation the client speaks, chosen at the handshake. Default: Engine.IO v4. */
  generation?: EngineGeneration;
}

const PING_PACKET: EnginePacket = { type: EnginePacketType.PING };
const PONG_PACKET: EnginePacket = { type: EnginePacketType.PONG };

/**
 * The virtual socket: one Engine.IO session whatever transport carries it. Packets sent within one
 * tick leave together; heartbeat deadlines are fixed points in time, checked by the engine's heartbeat
 * timers and on every request.
 */
export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  /** Engine.IO protocol revision spoken by the client: 4, or 3 for socket.io-client 2.x. */
  readonly protocol: EngineProtocol;
  /** @internal What the engine does differently for the client's generation (its framing, who pings). */
  readonly generation: EngineGeneration;
  /** The request that opened the session (if nothing added to it, rebuilt from a small record on first read). */
  declare readonly request: IncomingMessage;
  /** The client's address, read at the handshake (engine.io's `socket.conn.remoteAddress`). */
  readonly remoteAddress: string;
  /** When the session opened, in milliseconds since the epoch. */
  readonly openedAt = Date.now();
  #state: SessionState = 'open';
  /** The transport, a websocket taking over, and what waits to be sent. */
  readonly #carrier: SessionCarrier;
  readonly #group: SessionGroup;
  readonly #heartbeat: HeartbeatEntry<Session>;
  #closeTimer: NodeJS.Timeout | undefined;
  #receiver: SessionReceiver | undefined;

  constructor(init: SessionInit) {
    super();
    // Most sessions never get a listener (the Socket.IO client is their receiver).
    dropListenerTable(this);
    this.id = init.id;
    retainRequest(this, init.request);
    this.remoteAddress = init.request.socket.remoteAddress ?? '';
    this.#group = init.group;
    this.generation = init.generation ?? EIO4;
    this.protocol = this.generation.protocol;
    const port = new Session.#Port(this);
    this.#carrier = new SessionCarrier(init.transport, port);
    init.transport.sink = port;
    // A v4 client answers the server's pings; a v3 client pings the server and must not fall silent.
    this.#heartbeat = this.generation.pinger === 'client' ? this.#group.heartbeat.watch(this) : this.#group.heartbeat.start(this);
  }

  /** @internal Called once by the engine: what its sessions share (one pair of heartbeat timers for all). */
  static group(settings: SessionSettings<Session>): SessionGroup {
    return sessionGroup(settings, {
      ping: (session) => session.#enqueue(PING_PACKET),
      expire: (session) => session.#finalize('ping timeout'),
    });
  }

  /** @internal Hands the session's messages and its end to `receiver` (the client), ahead of its listeners. */
  receive(receiver: SessionReceiver): void {
    this.#receiver = receiver;
  }

  get readyState(): SessionState {
    return this.#state;
  }

  /** The transport that carries the session now (`session.transport.name`: 'polling' or 'websocket'). */
  get transport(): Transport {
    return this.#carrier.transport;
  }

  /**
   * Whether a packet sent now would leave at once, as engine.io judges it for volatile emits: not when
   * something already waits for this tick's write (engine.io would have written it and be busy), nor
   * while the transport cannot take a write (polling: no GET waiting) or is still writing the last one
   * (websocket), nor while an upgrade holds writes back or the client reads too slowly.
   */
  get writable(): boolean {
    const carrier = this.#carrier;
    const transport = carrier.transport;
    return this.#state === 'open' && carrier.empty && !carrier.holding && transport.writable && !transport.sending && !transport.congested;
  }

  /** Whether the session moved to websocket after starting on polling (engine.io's `upgraded`). */
  get upgraded(): boolean {
    return this.#carrier.upgraded;
  }

  /** Whether a websocket probe is attached to this session (an upgrade is in progress). */
  get upgrading(): boolean {
    return this.#carrier.upgrading;
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
   * write of its own (see SessionCarrier.closeWhenDrained). Over polling that takes the client's next GET
   * (waiting at most one ping timeout).
   */
  close(): void {
    if (this.#state !== 'open') return;
    this.#state = 'closing';
    this.#closeTimer = setTimeout(() => this.#finalize('forced close'), this.#group.pingTimeout);
    this.#closeWhenDrained(false);
  }

  #closeWhenDrained(polled: boolean): void {
    if (this.#carrier.closeWhenDrained(polled)) this.#finalize('forced close');
  }

  /** @internal Ends the session at once, as the engine shuts down (a close packet if the transport can take it). */
  shutdown(reason: CloseReason): void {
    if (this.#state === 'closed') return;
    const transport = this.#carrier.transport;
    if (transport.writable) transport.send(CLOSE_PAYLOAD);
    this.#finalize(reason);
  }

  /** @internal On every request naming the session: false (and closed) once its heartbeat deadline passed. */
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
    return this.#state === 'open' && this.#carrier.attachProbe(probe, this.#group.upgradeTimeout);
  }

  #enqueue(item: OutgoingItem, options?: SendOptions): void {
    if (options?.compress === false && item instanceof PreparedMessage) item = item.uncompressed();
    this.#carrier.queue(item);
    if (this.listenerCount('packetCreate') > 0) this.emit('packetCreate', outgoingPacketEvent(item, this.#frameOf));
    this.#carrier.schedule();
  }

  /** Which websocket frame of a prepared message this session sends it as now (none over polling). */
  get #frameOf(): FrameOf {
    return this.#carrier.transport.name === 'websocket' ? this.generation.websocket.frame : NO_FRAME_OF;
  }

  #onPacket(packet: EnginePacket): void {
    if (this.#state === 'closed') return;
    if (this.listenerCount('packet') > 0) this.emit('packet', incomingPacketEvent(packet));
    switch (packet.type) {
      case EnginePacketType.MESSAGE:
        this.#receiver?.ondata(packet.data ?? '');
        if (this.listenerCount('data') > 0) this.emit('data', packet.data ?? '');
        if (this.listenerCount('message') > 0) this.emit('message', packet.data ?? '');
        return;
      case EnginePacketType.PONG:
        this.#group.heartbeat.pong(this.#heartbeat);
        this.emit('heartbeat');
        return;
      case EnginePacketType.PING:
        if (this.generation.pinger !== 'client') return; // a server that pings ignores pings
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
    } else if (this.#carrier.holding) {
      // End the client's poll cycle so it can finish the upgrade.
      this.#carrier.transport.send(NOOP_PAYLOAD);
    } else {
      this.#carrier.flush();
    }
  }

  /** What the transport and the carrier report to: one small object, no closures (moves to a new transport). */
  static readonly #Port = class Port implements TransportSink, SessionCarrierOwner {
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
    get maxWriteBuffer(): number {
      return this.#session.#group.maxWriteBuffer;
    }
    flushing(packets: readonly OutgoingItem[]): void {
      const session = this.#session;
      if (session.listenerCount('flush') > 0) session.emit('flush', packets.map((item) => outgoingPacketEvent(item, session.#frameOf)));
    }
    flushed(): void {
      if (this.#session.listenerCount('drain') > 0) this.#session.emit('drain');
    }
    overflowed(error: Error): void {
      this.#session.#finalize('transport error', error);
    }
    upgrading(probe: Transport): void {
      this.#session.emit('upgrading', probe);
    }
    upgraded(probe: Transport): void {
      const session = this.#session;
      if (log.enabled) log('upgrade sid=%s transport=websocket', session.id);
      session.emit('upgrade', probe);
      if (session.#state === 'closing') session.#closeWhenDrained(false);
      else session.#carrier.flush();
    }
  };

  #finalize(reason: CloseReason, error?: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#group.heartbeat.stop(this.#heartbeat);
    clearTimeout(this.#closeTimer);
    const transport = this.#carrier.transport;
    // A poll held open learns that the server ended the session; after the client's own close it just ends.
    this.#carrier.end(reason !== 'transport close');
    this.#group.onClosed(this);
    if (error instanceof EngineError && error.code === EngineErrorCode.SLOW_CONSUMER) {
      this.#group.logger.warn({ sid: this.id, transport: transport.name, err: error }, 'a slow consumer was dropped');
    }
    if (log.enabled) log('close sid=%s reason=%s%s', this.id, reason, error === undefined ? '' : ` error=${error.message}`);
    const receiver = this.#receiver;
    this.#receiver = undefined;
    receiver?.onclose(reason, error);
    this.emit('close', reason, error);
  }
}
