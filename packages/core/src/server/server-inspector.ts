/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { addCounts, type ConnectionCounts, countConnection, emptyCounts, type SessionFacts, type SessionSnapshot, snapshotSession } from '../engine/session-snapshot.js';
import { foreignServerSideEmitWithAck, isForeignAdapter } from '../realtime/foreign-adapter.js';
import type { Namespace } from '../realtime/namespace.js';
import { type NamespaceSnapshot, snapshotNamespace } from '../realtime/namespace-snapshot.js';
import { NODE_REQUEST_EVENT } from '../realtime/node-request.js';
import type { Endpoint } from './endpoint.js';

/** Which process a snapshot comes from. */
export interface NodeInfo {
  /** Made at random when the Server is made: tells the nodes of a cluster apart. */
  id: string;
  hostname: string;
  pid: number;
  /** When the Server was made, in milliseconds since the epoch. */
  startedAt: number;
  /** Seconds since then. */
  uptime: number;
}

/** A session in a {@link ServerSnapshot}: what the engine knows of it, and the namespaces its sockets are in. */
export interface InspectedSession extends SessionSnapshot {
  namespaces: string[];
}

/** The engines of one Server: every generation's sessions. */
export interface EngineSnapshot {
  /** Connected clients (`io.engine.clientsCount` is `clients.total`). */
  clients: ConnectionCounts;
  /** Sessions a websocket is taking over from polling now. */
  upgrading: number;
  /** 0.9 handshakes whose client has not opened a transport yet (not clients yet). */
  pendingHandshakes: number;
  /** Every session, oldest first; left out when `inspect({ sessions: false })`. */
  sessions?: InspectedSession[];
}

/** What `io.inspect()` returns: this process's sessions, sockets and rooms. Plain data, JSON-serializable. */
export interface ServerSnapshot {
  node: NodeInfo;
  /** When the snapshot was taken, in milliseconds since the epoch. */
  takenAt: number;
  engine: EngineSnapshot;
  /** The sockets of every namespace (a client in two namespaces has two sockets). */
  sockets: ConnectionCounts;
  /** Every namespace, the main one first. */
  namespaces: NamespaceSnapshot[];
}

/** What `io.inspectCluster()` returns: every node's snapshot, and their totals. */
export interface ClusterSnapshot {
  takenAt: number;
  /** This node's snapshot first, then the other nodes' as they answered. */
  nodes: ServerSnapshot[];
  /** Connected clients of every node. */
  clients: ConnectionCounts;
  /** Sockets of every node. */
  sockets: ConnectionCounts;
}

export interface InspectOptions {
  /** List every session (`engine.sessions`). Default true; the counts are there either way. */
  sessions?: boolean;
}

export interface InspectClusterOptions extends InspectOptions {
  /**
   * Milliseconds to wait for the other nodes' answers, with Switchyard's cluster adapters (default: the
   * adapter's `requestTimeout`). An adapter built on socket.io-adapter waits its own `requestsTimeout`.
   */
  timeout?: number;
}

/** What the inspector reads of the Server: both change when the Server is reconfigured. */
export interface InspectedServer {
  endpoint(): Endpoint;
  namespaces(): Iterable<Namespace<any, any, any, any>>;
  mainNamespace(): Namespace<any, any, any, any>;
}

/**
 * `io.inspect()` and `io.inspectCluster()`: composes what the engines know of their sessions with what
 * the namespaces know of their sockets and rooms, and asks the other nodes of a cluster for theirs.
 */
export class ServerInspector {
  readonly #server: InspectedServer;
  readonly #node = { id: randomBytes(8).toString('hex'), hostname: hostname(), pid: process.pid, startedAt: Date.now() };

  constructor(server: InspectedServer) {
    this.#server = server;
  }

  inspect(options: InspectOptions = {}): ServerSnapshot {
    const takenAt = Date.now();
    const { engine, legacyEngine } = this.#server.endpoint();
    const conns: SessionFacts[] = [...engine.sessions.values(), ...(legacyEngine?.sessions.values() ?? [])];
    const clients = emptyCounts();
    let upgrading = 0;
    for (const conn of conns) {
      countConnection(clients, conn);
      if (conn.upgrading) upgrading++;
    }
    const sockets = emptyCounts();
    const namespaces: NamespaceSnapshot[] = [];
    const namespacesOf = new Map<string, string[]>();
    for (const nsp of this.#server.namespaces()) {
      const snapshot = snapshotNamespace(nsp);
      namespaces.push(snapshot);
      addCounts(sockets, snapshot.sockets);
      if (options.sessions === false) continue;
      for (const socket of nsp.sockets.values()) {
        const id = socket.conn.id;
        const names = namespacesOf.get(id);
        if (names === undefined) namespacesOf.set(id, [nsp.name]);
        else names.push(nsp.name);
      }
    }
    const snapshot: ServerSnapshot = {
      node: { ...this.#node, uptime: (takenAt - this.#node.startedAt) / 1000 },
      takenAt,
      engine: { clients, upgrading, pendingHandshakes: legacyEngine?.pendingHandshakes ?? 0 },
      sockets,
      namespaces,
    };
    if (options.sessions !== false) {
      snapshot.engine.sessions = conns
        .map((conn) => {
          // Completed in place: a copy of each (with a spread) costs more than the rest of the snapshot.
          const session = snapshotSession(conn) as InspectedSession;
          session.namespaces = namespacesOf.get(conn.id) ?? [];
          return session;
        })
        .sort((a, b) => a.openedAt - b.openedAt);
    }
    return snapshot;
  }

  async inspectCluster(options: InspectClusterOptions = {}): Promise<ClusterSnapshot> {
    const request = { sessions: options.sessions !== false };
    const local = this.inspect(request);
    const adapter = this.#server.mainNamespace().adapter;
    let answers: unknown[] = [];
    // Alone (or with an adapter that carries nothing between nodes) there is nobody to ask.
    if ((await adapter.serverCount()) > 1) {
      const args = [NODE_REQUEST_EVENT, 'inspect', request];
      answers = isForeignAdapter(adapter) ? await foreignServerSideEmitWithAck(adapter, args) : await adapter.serverSideEmitWithAck(args, options.timeout);
    }
    const nodes = [local, ...answers.filter(isServerSnapshot)];
    const clients = emptyCounts();
    const sockets = emptyCounts();
    for (const node of nodes) {
      addCounts(clients, node.engine.clients);
      addCounts(sockets, node.sockets);
    }
    return { takenAt: local.takenAt, nodes, clients, sockets };
  }

  /** Answers another node's request (`io.inspectCluster()` on that node). */
  answer(kind: string, options: unknown): ServerSnapshot | undefined {
    if (kind !== 'inspect') return undefined;
    return this.inspect({ sessions: (options as InspectOptions | undefined)?.sessions !== false });
  }
}

function isServerSnapshot(value: unknown): value is ServerSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<ServerSnapshot>;
  return typeof snapshot.node?.id === 'string' && typeof snapshot.engine?.clients === 'object' && typeof snapshot.sockets === 'object';
}
