import type { IncomingMessage, ServerResponse } from 'node:http';
import createDebug from 'debug';
import { type EnginePacket, EnginePacketType } from '../protocol/engine-packet.js';
import type { EngineGeneration } from './generations.js';
import type { ResolvedEngineOptions, TransportName } from './options.js';
import type { PollingFormat } from './polling-format.js';
import { PollingTransport } from './polling-transport.js';
import type { HostHeaders } from './response-headers.js';
import { Session, type SessionGroup } from './session.js';
import { DETACHED_SINK } from './transport.js';
import type { WebSocketTransport } from './websocket-transport.js';

const log = createDebug('switchyard:engine');

export interface SessionOpenerInit {
  options: ResolvedEngineOptions;
  headers: HostHeaders;
  /** The engine's open sessions by id: each session made goes in, and leaves once closed for good. */
  sessions: Map<string, Session>;
  /** Tells the engine's listeners of a new session (its `connection` event); may throw (user code). */
  announce(session: Session): void;
}

/**
 * The last step of an Engine.IO handshake: the session over its first transport, and the open packet
 * (`0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}`) that tells the client.
 */
export class SessionOpener {
  readonly #options: ResolvedEngineOptions;
  readonly #headers: HostHeaders;
  readonly #group: SessionGroup;
  readonly #sessions: Map<string, Session>;
  readonly #announce: (session: Session) => void;
  /** The open packet's JSON after the sid, the same for every session opened over each transport. */
  readonly #openPacketTail: Readonly<Record<TransportName, string>>;

  constructor(init: SessionOpenerInit) {
    const options = (this.#options = init.options);
    this.#headers = init.headers;
    this.#announce = init.announce;
    const sessions = (this.#sessions = init.sessions);
    const onClosed = (session: Session): void => {
      if (sessions.get(session.id) === session) sessions.delete(session.id);
    };
    const { pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize: maxPayload, maxWriteBuffer } = options;
    this.#group = Session.group({ pingInterval, pingTimeout, upgradeTimeout, maxWriteBuffer, onClosed, logger: options.logger });
    const tail = (upgrades: TransportName[]): string => JSON.stringify({ upgrades, pingInterval, pingTimeout, maxPayload }).slice(1);
    const canUpgrade = options.allowUpgrades && options.transports.has('websocket');
    this.#openPacketTail = { polling: tail(canUpgrade ? ['websocket'] : []), websocket: tail([]) };
  }

  /**
   * Opens a session over polling: it is announced, then the handshake GET is answered with the
   * open packet. In that order because a client's next request is another HTTP request, which may reach
   * another process: whatever routes it there (@socket.io/sticky learns a sid from the `connection`
   * event, over IPC) must have heard of the session before the client can know its id. What the
   * listeners send waits for the client's first poll. When a listener throws, nothing is answered and the
   * session is ended; the error is the caller's.
   */
  polling(req: IncomingMessage, res: ServerResponse, id: string, generation: EngineGeneration, format: PollingFormat): void {
    const transport = new PollingTransport(DETACHED_SINK, {
      maxHttpBufferSize: this.#options.maxHttpBufferSize,
      compressionThreshold: this.#options.httpCompressionThreshold,
      format,
    });
    const session = this.#create(req, transport, id, generation);
    this.#headers.apply(req, res, id);
    try {
      this.#announce(session);
    } catch (error) {
      session.shutdown('forced close');
      throw error;
    }
    transport.respondOpen(req, res, this.#openPacket(session.id, 'polling'));
  }

  /**
   * Opens a session over a websocket accepted as its handshake: the open packet is its first frame, sent
   * before it is announced (the client's next messages come over the same connection, so nothing can
   * overtake it), and what the listeners send follows it.
   */
  websocket(req: IncomingMessage, transport: WebSocketTransport, id: string, generation: EngineGeneration): void {
    const session = this.#create(req, transport, id, generation);
    transport.send([this.#openPacket(session.id, 'websocket')]);
    this.#announce(session);
  }

  #create(req: IncomingMessage, transport: PollingTransport | WebSocketTransport, id: string, generation: EngineGeneration): Session {
    const session = new Session({ id, request: req, transport, group: this.#group, generation });
    if (log.enabled) log('handshake sid=%s generation=%s transport=%s', id, generation.label, transport.name);
    this.#sessions.set(id, session);
    return session;
  }

  #openPacket(sid: string, transport: TransportName): EnginePacket {
    return { type: EnginePacketType.OPEN, data: `{"sid":${JSON.stringify(sid)},${this.#openPacketTail[transport]}` };
  }
}
