import createDebug from 'debug';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { retainRequest } from '../retained-request.js';
import { ProtocolError } from '../../protocol/errors.js';
import { decodeLegacyPacket, decodeLegacyPayload, type LegacyPacket, LegacyPacketType } from '../../protocol/legacy-packet.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import { LEGACY_GENERATION } from '../generations.js';
import { consoleLogger, type Logger } from '../logger.js';
import { OutboundBuffer } from '../outbound-buffer.js';
import type { ConnectionEvents, SessionState } from '../connection.js';
import type { CloseReason } from '../transport.js';
import { legacyPacketEvent } from './legacy-packet-events.js';
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

/** The timings of the 0.9 protocol, in milliseconds. */
export interface LegacyTimings {
  heartbeatInterval: number;
  heartbeatTimeout: number;
  closeTimeout: number;
}

export interface LegacySessionInit {
  id: string;
  /** The handshake request. */
  request: IncomingMessage;
  /** The peer's address, read while the handshake request was connected. */
  address: string;
  transport: LegacyTransport;
  timings: LegacyTimings;
  /** Most bytes of packets that may wait for a polling client's next request. */
  maxWriteBuffer: number;
  /** Deepest nesting of a packet's JSON. */
  maxNestingDepth: number;
  onClosed(session: LegacySession): void;
  /** Where a session dropped as a slow consumer is reported. Default: the console. */
  logger?: Logger;
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
  /** The request that opened the session (kept as {@link retainRequest} says). */
  declare readonly request: IncomingMessage;
  readonly address: string;
  /** When the session opened (its first transport connected), in milliseconds since the epoch. */
  readonly openedAt = Date.now();
  #state: SessionState = 'open';
  #transport: LegacyTransport;
  /** What waits to be sent, and the slow-consumer rule. */
  readonly #queue = new OutboundBuffer<string>();
  readonly #maxWriteBuffer: number;
  readonly #maxNestingDepth: number;
  #flushScheduled = false;
  readonly #timings: LegacyTimings;
  readonly #onClosed: (session: LegacySession) => void;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeatDeadline: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;

  readonly #logger: Logger;

  constructor(init: LegacySessionInit) {
    super();
    this.id = init.id;
    retainRequest(this, init.request);
    this.address = init.address;
    this.#timings = init.timings;
    this.#onClosed = init.onClosed;
    this.#maxWriteBuffer = init.maxWriteBuffer;
    this.#logger = init.logger ?? consoleLogger;
    this.#maxNestingDepth = init.maxNestingDepth;
    this.#transport = init.transport;
    this.#bind(init.transport);
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
    process.nextTick(() => {
      this.#flushScheduled = false;
      if (this.#transport.writable) {
        this.#flush();
        return;
      }
      // A polling client that stays away (see OutboundBuffer for the rule).
      const overflow = this.#queue.overflow(this.#maxWriteBuffer);
      if (overflow !== undefined) this.#finalize('transport error', overflow);
    });
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
    let packets: LegacyPacket[];
    try {
      texts = decodeLegacyPayload(body);
      packets = texts.map((text) => decodeLegacyPacket(text, this.#maxNestingDepth));
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.#finalize('parse error', err);
      return;
    }
    for (let i = 0; i < packets.length; i++) {
      if (this.readyState === 'closed') return;
      const packet = packets[i]!;
      if (this.listenerCount('packet') > 0) this.emit('packet', legacyPacketEvent(texts[i]!, false));
      if (packet.type === LegacyPacketType.HEARTBEAT) this.#onHeartbeat();
      else if (packet.type !== LegacyPacketType.NOOP) this.emit('legacyPacket', packet);
    }
  }

  #bind(transport: LegacyTransport): void {
    transport.sink = new LegacySession.#Sink(this);
    this.#stopTimers();
    this.#queue.unshift(CONNECT_TEXT);
    if (transport.persistent) this.#scheduleHeartbeat();
    if (transport.writable) this.#flush();
  }

  #flush(): void {
    const queue = this.#queue.take();
    if (queue === undefined) return;
    this.#transport.send(queue);
    if (this.#state === 'closing' && queue[queue.length - 1] === DISCONNECT_TEXT) this.#finalize('forced close');
  }

  #scheduleHeartbeat(): void {
    this.#heartbeatTimer = setTimeout(() => {
      this.#heartbeatTimer = undefined;
      this.send(HEARTBEAT_TEXT);
      this.#heartbeatDeadline = setTimeout(() => this.#finalize('ping timeout'), this.#timings.heartbeatTimeout);
    }, this.#timings.heartbeatInterval);
  }

  #onHeartbeat(): void {
    if (this.#heartbeatDeadline === undefined) return;
    clearTimeout(this.#heartbeatDeadline);
    this.#heartbeatDeadline = undefined;
    if (this.#transport.persistent) this.#scheduleHeartbeat();
  }

  #restartCloseTimer(): void {
    clearTimeout(this.#closeTimer);
    this.#closeTimer = setTimeout(() => this.#finalize(this.#state === 'closing' ? 'forced close' : 'transport close'), this.#timings.closeTimeout);
  }

  #stopTimers(): void {
    clearTimeout(this.#heartbeatTimer);
    clearTimeout(this.#heartbeatDeadline);
    clearTimeout(this.#closeTimer);
    this.#heartbeatTimer = this.#heartbeatDeadline = this.#closeTimer = undefined;
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
      clearTimeout(session.#closeTimer);
      session.#closeTimer = undefined;
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
    this.#onClosed(this);
    if (error instanceof EngineError && error.code === EngineErrorCode.SLOW_CONSUMER) {
      this.#logger.warn({ sid: this.id, transport: transport.name, err: error }, 'a slow consumer was dropped');
    }
    if (log.enabled) log('close sid=%s reason=%s%s', this.id, reason, error === undefined ? '' : ` error=${error.message}`);
    this.emit('close', reason, error);
  }
}
