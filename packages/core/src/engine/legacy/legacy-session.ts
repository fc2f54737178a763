import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { retainRequest } from '../retained-request.js';
import { ProtocolError } from '../../protocol/errors.js';
import { decodeLegacyPacket, decodeLegacyPayload, type LegacyPacket, LegacyPacketType } from '../../protocol/legacy-packet.js';
import { DeadlineEntry } from '../deadline-queue.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import { LEGACY_GENERATION } from '../generations.js';
import type { HeartbeatEntry } from '../heartbeat.js';
import { OutboundBuffer } from '../outbound-buffer.js';
import type { ConnectionEvents, SessionState } from '../connection.js';
import { TickBatch } from '../tick-batch.js';
import type { CloseReason } from '../transport.js';
import { legacyPacketEvent } from './legacy-packet-events.js';
import { type LegacySessionGroup as Group, legacySessionGroup, type LegacySessionSettings } from './legacy-session-group.js';
import { DETACHED_LEGACY_SINK, type LegacyTransport, type LegacyTransportSink } from './legacy-transport.js';

const log = createDebug('switchyard:engine:legacy');

/**
 * engine.io's event names (of which a 0.9 session emits `close`, and `packet` / `packetCreate` while listened
 * to, with its packets' text), and the 0.9 packets.
 */
export interface LegacySessionEvents extends ConnectionEvents {
  /** A 0.9 packet from the client (heartbeats and noops are handled by the session). */
  legacyPacket: [packet: LegacyPacket];
}

/** What the 0.9 sessions of one engine share: their settings, one heartbeat and one queue of close timeouts. */
export type LegacySessionGroup = Group<LegacySession>;

export interface LegacySessionInit {
  id: string;
  /** The handshake request. */
  request: IncomingMessage;
  /** The peer's address, read while the handshake request was connected. */
  address: string;
  transport: LegacyTransport;
  /** Made once per engine by {@link LegacySession.group}. */
  group: LegacySessionGroup;
}

const CONNECT_TEXT = '1::';
const HEARTBEAT_TEXT = '2::';
const DISCONNECT_TEXT = '0::';

/**
 * One 0.9 client, whatever transport carries it: packets queued in one tick leave together, heartbeats
 * run on persistent transports, and a polling client that stays away past the close timeout is gone.
 */
export class LegacySession extends EventEmitter<LegacySessionEvents> {
  readonly id: string;
  /** The protocol revision ("protocol 1", the 0.9 clients). */
  readonly protocol = LEGACY_GENERATION.protocol;
  /** The request that opened the session (if nothing added to it, rebuilt from a small record on first read). */
  declare readonly request: IncomingMessage;
  readonly address: string;
  /** When the session opened (its first transport connected), in milliseconds since the epoch. */
  readonly openedAt = Date.now();
  #state: SessionState = 'open';
  #transport: LegacyTransport;
  /** What waits to be sent, and the slow-consumer rule. */
  readonly #queue = new OutboundBuffer<string>();
  #flushScheduled = false;
  readonly #group: LegacySessionGroup;
  /** The session's place in the heartbeat, while its transport is persistent. */
  #heartbeat: HeartbeatEntry<LegacySession> | undefined;
  /** The session's place in the close-timeout queue (a polling client between requests, a closing session). */
  readonly #closeEntry = new DeadlineEntry<LegacySession>(this);

  constructor(init: LegacySessionInit) {
    super();
    this.id = init.id;
    retainRequest(this, init.request);
    this.address = init.address;
    this.#group = init.group;
    this.#transport = init.transport;
    this.#bind(init.transport);
  }

  /**
   * Makes what the sessions of one engine share: the heartbeats and close timeouts of all of them run on
   * one timer each.
   * @internal Called once by the legacy engine.
   */
  static group(settings: LegacySessionSettings<LegacySession>): LegacySessionGroup {
    return legacySessionGroup(settings, {
      // The heartbeat asks for a `2::`; the client has the heartbeat timeout to answer it.
      ping: (session) => session.send(HEARTBEAT_TEXT),
      expire: (session) => session.#finalize('ping timeout'),
      // A polling client stayed away past the close timeout, or a closing session's `0::` was never fetched.
      closeTimedOut: (session) => session.#finalize(session.#state === 'closing' ? 'forced close' : 'transport close'),
    });
  }

  /** The same as {@link address}, under engine.io's name (`socket.conn.remoteAddress`). */
  get remoteAddress(): string {
    return this.address;
  }

  /** A 0.9 session never changes transport (engine.io's `upgraded`). */
  get upgraded(): boolean {
    return false;
  }

  /** A 0.9 session never changes transport, so it is never upgrading. */
  get upgrading(): boolean {
    return false;
  }

  get readyState(): SessionState {
    return this.#state;
  }

  get transport(): LegacyTransport {
    return this.#transport;
  }

  /**
   * Whether a packet sent now would leave at once (used by volatile emits): not when something already
   * waits for this tick's write, nor while the transport cannot take a write or is still writing the last.
   */
  get writable(): boolean {
    return this.#state === 'open' && this.#queue.empty && this.#transport.writable && !this.#transport.sending;
  }

  /** Queues one encoded packet; packets queued in the same tick leave in one write. */
  send(text: string): void {
    if (this.#state !== 'open') return;
    this.#queue.push(text, text.length);
    if (this.listenerCount('packetCreate') > 0) this.emit('packetCreate', legacyPacketEvent(text, true));
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    LegacySession.#batch.add(this);
  }

  /** The sessions with something queued this tick: one nextTick flushes them all. */
  static readonly #batch = new TickBatch<LegacySession>((session) => session.#flushTick());

  #flushTick(): void {
    this.#flushScheduled = false;
    if (this.#transport.writable) {
      this.#flush();
      return;
    }
    // A polling client that stays away (see OutboundBuffer for the rule).
    const overflow = this.#queue.overflow(this.#group.maxWriteBuffer);
    if (overflow !== undefined) this.#finalize('transport error', overflow);
  }

  /**
   * Another transport connection for this session: a polling client's transport object stays, a client
   * that switches (or reopens a persistent transport) gets the new one, which starts with `1::`.
   * @internal Called by the legacy engine.
   */
  attach(transport: LegacyTransport): void {
    const previous = this.#transport;
    // The next poll of a polling client (a closing session still owes it the `0::`).
    if (previous === transport) return;
    if (this.#state !== 'open') {
      transport.close();
      return;
    }
    previous.sink = DETACHED_LEGACY_SINK;
    previous.close();
    this.#transport = transport;
    this.#bind(transport);
  }

  /** Ends the session from the server side: what is queued goes out, then `0::`. */
  close(): void {
    if (this.#state !== 'open') return;
    this.#queue.push(DISCONNECT_TEXT, 0);
    this.#state = 'closing';
    if (this.#transport.writable) this.#flush();
    // A polling client takes the disconnect with its next GET, if it comes back in time.
    else this.#restartCloseTimer();
  }

  /**
   * Ends the session at once (a forced disconnect, a server shutdown, a client past a bound: `error` says
   * which); the transport is told `0::` if it can take it now.
   */
  shutdown(reason: CloseReason, error?: Error): void {
    if (this.#state === 'closed') return;
    if (this.#transport.writable) this.#transport.send([DISCONNECT_TEXT]);
    this.#finalize(reason, error);
  }

  /**
   * A body from the client (a POST, or a websocket frame): its packets in order. One that does not
   * parse closes the session.
   * @internal
   */
  receive(body: string): void {
    if (this.#state === 'closed') return;
    let texts: string[];
    let packets: LegacyPacket[] | undefined;
    let packet: LegacyPacket;
    try {
      texts = decodeLegacyPayload(body);
      // Every packet is read before any is handled: a body with one bad packet delivers none.
      if (texts.length === 1) packet = decodeLegacyPacket(texts[0]!, this.#group.maxNestingDepth);
      else packets = texts.map((text) => decodeLegacyPacket(text, this.#group.maxNestingDepth));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#finalize('parse error', err);
      return;
    }
    if (packets === undefined) return this.#handle(packet!, texts[0]!);
    for (let i = 0; i < packets.length && this.readyState !== 'closed'; i++) this.#handle(packets[i]!, texts[i]!);
  }

  #handle(packet: LegacyPacket, text: string): void {
    if (this.listenerCount('packet') > 0) this.emit('packet', legacyPacketEvent(text, false));
    if (packet.type === LegacyPacketType.HEARTBEAT) this.#onHeartbeat();
    else if (packet.type !== LegacyPacketType.NOOP) this.emit('legacyPacket', packet);
  }

  #bind(transport: LegacyTransport): void {
    transport.sink = new LegacySession.#Sink(this);
    this.#stopTimers();
    this.#queue.unshift(CONNECT_TEXT);
    if (transport.persistent) this.#heartbeat = this.#group.heartbeat.start(this);
    if (transport.writable) this.#flush();
  }

  #flush(): void {
    const queue = this.#queue.take();
    if (queue === undefined) return;
    this.#transport.send(queue);
    if (this.#state === 'closing' && queue[queue.length - 1] === DISCONNECT_TEXT) this.#finalize('forced close');
  }

  #onHeartbeat(): void {
    // A heartbeat nobody asked for changes nothing (the heartbeat ignores it then).
    if (this.#heartbeat !== undefined) this.#group.heartbeat.pong(this.#heartbeat);
  }

  #restartCloseTimer(): void {
    this.#group.closing.add(this.#closeEntry, performance.now() + this.#group.closeTimeout);
  }

  #stopTimers(): void {
    if (this.#heartbeat !== undefined) this.#group.heartbeat.stop(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#group.closing.delete(this.#closeEntry);
  }

  static readonly #Sink = class Sink implements LegacyTransportSink {
    readonly #session: LegacySession;
    constructor(session: LegacySession) {
      this.#session = session;
    }
    onData(body: string): void {
      this.#session.receive(body);
    }
    onDrain(): void {
      const session = this.#session;
      session.#group.closing.delete(session.#closeEntry);
      session.#flush();
    }
    onIdle(): void {
      this.#session.#restartCloseTimer();
    }
    onClose(): void {
      this.#session.#finalize('transport close');
    }
    onError(reason: CloseReason, error: Error): void {
      this.#session.#finalize(reason, error);
    }
  };

  #finalize(reason: CloseReason, error?: Error): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#stopTimers();
    this.#queue.take();
    const transport = this.#transport;
    transport.sink = DETACHED_LEGACY_SINK;
    transport.close();
    this.#group.onClosed(this);
    if (error instanceof EngineError && error.code === EngineErrorCode.SLOW_CONSUMER) {
      this.#group.logger.warn({ sid: this.id, transport: transport.name, err: error }, 'a slow consumer was dropped');
    }
    if (log.enabled) log('close sid=%s reason=%s%s', this.id, reason, error === undefined ? '' : ` error=${error.message}`);
    this.emit('close', reason, error);
  }
}
