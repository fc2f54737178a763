import type { Connection } from './connection.js';
import { ENGINE_GENERATIONS, type EngineGenerationName, LEGACY_GENERATION } from './generations.js';

/**
 * The client generation a session speaks, named after the client that speaks it: `'4.x'` for
 * socket.io-client 3.x and 4.x (Engine.IO 4), `'2.x'` for 2.x (Engine.IO 3), `'0.9'` for 0.7 to 0.9 (the
 * 0.9 protocol).
 */
export type ClientGenerationName = EngineGenerationName | typeof LEGACY_GENERATION.label;

/** Every generation, in the order snapshots list them. */
export const CLIENT_GENERATIONS: readonly ClientGenerationName[] = [...ENGINE_GENERATIONS.map((generation) => generation.label), LEGACY_GENERATION.label];

const GENERATION_OF_PROTOCOL = new Map<number, ClientGenerationName>(
  [...ENGINE_GENERATIONS, LEGACY_GENERATION].map((generation) => [generation.protocol, generation.label]),
);

/** The generation of a session speaking this protocol revision (`socket.conn.protocol`: 4, 3 or 1). */
export function generationOf(protocol: Connection['protocol']): ClientGenerationName {
  return GENERATION_OF_PROTOCOL.get(protocol)!;
}

/** One session as {@link snapshotSession} describes it: plain data, JSON-serializable. */
export interface SessionSnapshot {
  id: string;
  generation: ClientGenerationName;
  /** The protocol revision: 4, 3, or 1 for the 0.9 protocol (`socket.conn.protocol`). */
  protocol: Connection['protocol'];
  /**
   * The transport carrying the session now: `polling` or `websocket` for Engine.IO, or the 0.9 protocol's
   * own name (`websocket`, `flashsocket`, `htmlfile`, `xhr-multipart`, `xhr-polling`, `jsonp-polling`).
   */
  transport: string;
  /** Whether a websocket is taking the session over from polling now (`transport` still says `polling`). */
  upgrading: boolean;
  /** Whether the session moved to websocket after starting on polling. */
  upgraded: boolean;
  remoteAddress: string;
  /** When the session opened, in milliseconds since the epoch. */
  openedAt: number;
}

/** Counts of sessions or sockets: in all, by generation and by transport name. */
export interface ConnectionCounts {
  total: number;
  byGeneration: Record<ClientGenerationName, number>;
  /** By the transport carrying each one now (see {@link SessionSnapshot.transport}); absent names count 0. */
  byTransport: Record<string, number>;
}

/** What a snapshot reads of a session (of any generation). */
export type SessionFacts = Pick<Connection, 'id' | 'protocol' | 'transport' | 'upgrading' | 'upgraded' | 'remoteAddress' | 'openedAt'>;

/** What a session looks like now. */
export function snapshotSession(conn: SessionFacts): SessionSnapshot {
  return {
    id: conn.id,
    generation: generationOf(conn.protocol),
    protocol: conn.protocol,
    transport: conn.transport.name,
    upgrading: conn.upgrading,
    upgraded: conn.upgraded,
    remoteAddress: conn.remoteAddress,
    openedAt: conn.openedAt,
  };
}

/** Zero of everything, to count into with {@link countConnection}. */
export function emptyCounts(): ConnectionCounts {
  const byGeneration = {} as Record<ClientGenerationName, number>;
  for (const generation of CLIENT_GENERATIONS) byGeneration[generation] = 0;
  return { total: 0, byGeneration, byTransport: {} };
}

/** Adds one session (or a socket, by its session) to `counts`. */
export function countConnection(counts: ConnectionCounts, conn: Pick<Connection, 'protocol' | 'transport'>): void {
  counts.total++;
  counts.byGeneration[generationOf(conn.protocol)]++;
  const transport = conn.transport.name;
  counts.byTransport[transport] = (counts.byTransport[transport] ?? 0) + 1;
}

/** Adds `more` to `counts` (the nodes of a cluster, the namespaces of a server). */
export function addCounts(counts: ConnectionCounts, more: ConnectionCounts): void {
  counts.total += more.total;
  for (const generation of CLIENT_GENERATIONS) counts.byGeneration[generation] += more.byGeneration[generation];
  for (const [transport, n] of Object.entries(more.byTransport)) counts.byTransport[transport] = (counts.byTransport[transport] ?? 0) + n;
}
