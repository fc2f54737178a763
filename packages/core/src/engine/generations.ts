import { eio3PollingFormat } from './eio3-polling-format.js';
import type { ResolvedEngineOptions } from './options.js';
import { EIO4_POLLING_FORMAT, type PollingFormat } from './polling-format.js';
import { EIO3_WEBSOCKET_FRAMING, EIO4_WEBSOCKET_FRAMING, type WebSocketFraming } from './websocket-framing.js';

/** The Engine.IO revisions served (`socket.conn.protocol`): 4 for socket.io-client 3.x and 4.x, 3 for 2.x. */
export type EngineProtocol = 4 | 3;

/** The name of an Engine.IO generation, after the client that speaks it (see ClientGenerationName). */
export type EngineGenerationName = '4.x' | '2.x';

/** What an Engine.IO handshake's query says about the client's polling (Engine.IO v3's `b64` and `j`). */
export interface HandshakeQuery {
  readonly b64?: string | undefined;
  readonly j?: string | undefined;
}

/**
 * One Engine.IO client generation: everything the engine does differently for it. The engine picks one
 * at the handshake, from the `EIO` query, and the session and its transports keep it: within the engine,
 * every choice between generations goes through it rather than the protocol number.
 */
export interface EngineGeneration {
  readonly protocol: EngineProtocol;
  readonly label: EngineGenerationName;
  /** Whether the engine's options serve it (`allowEIO4`, `allowEIO3`). */
  enabled(options: ResolvedEngineOptions): boolean;
  /**
   * Who keeps the heartbeat going: the server pings and the client answers (`'server'`), or the client
   * pings, is answered, and must not fall silent (`'client'`).
   */
  readonly pinger: 'server' | 'client';
  /** The polling format a handshake asks for; undefined when its query is malformed (a JSONP index that is no number). */
  pollingFormat(query: HandshakeQuery): PollingFormat | undefined;
  readonly websocket: WebSocketFraming;
}

/** Engine.IO v4: socket.io-client 3.x and 4.x. */
export const EIO4: EngineGeneration = {
  protocol: 4,
  label: '4.x',
  enabled: (options) => options.allowEIO4,
  pinger: 'server',
  pollingFormat: () => EIO4_POLLING_FORMAT,
  websocket: EIO4_WEBSOCKET_FRAMING,
};

/** Engine.IO v3: socket.io-client 2.x. */
export const EIO3: EngineGeneration = {
  protocol: 3,
  label: '2.x',
  enabled: (options) => options.allowEIO3,
  pinger: 'client',
  pollingFormat: eio3PollingFormat,
  websocket: EIO3_WEBSOCKET_FRAMING,
};

/** Every Engine.IO generation, newest first (the order snapshots list them in). */
export const ENGINE_GENERATIONS: readonly EngineGeneration[] = [EIO4, EIO3];

/**
 * The 0.9 protocol (socket.io-client 0.7 to 0.9, "protocol 1"): a generation of its own, with its own
 * engine (legacy/); only its number and name are shared with the rest.
 */
export const LEGACY_GENERATION = { protocol: 1, label: '0.9' } as const;

/** The generations `options` serve, by the `EIO` query value that asks for each: looked up once per request. */
export function generationTable(options: ResolvedEngineOptions): ReadonlyMap<string | undefined, EngineGeneration> {
  return new Map(ENGINE_GENERATIONS.filter((generation) => generation.enabled(options)).map((generation) => [String(generation.protocol), generation]));
}
