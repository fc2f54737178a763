/**
 * What differs, above the engine, between the generations of Socket.IO clients: one rules object per
 * generation, chosen once when a client is built ({@link rulesOf}) and asked by the client and its
 * namespaces. Nowhere else in realtime/ or server/ tells the generations apart.
 *
 * - Socket.IO v5 (socket.io-client 3.x and 4.x, Engine.IO v4): the protocol as socket.io 4 speaks it.
 * - Socket.IO v4 (socket.io-client 2.x, Engine.IO v3), as socket.io 4 serves it with `allowEIO3`: packets
 *   are encoded as in v5, but the handshake works another way.
 * - The 0.7-0.9 protocol: its own wire (legacy-client.ts, legacy-wire.ts); for a namespace its sockets
 *   are v5 ones that cannot recover.
 */
import { parse as parseQueryString } from 'node:querystring';
import type { Connection } from '../engine/connection.js';
import { generateSessionId } from '../engine/session-id.js';
import { type SocketPacket, SocketPacketType } from '../protocol/socket-packet.js';

/** How one generation of clients joins namespaces and is answered. */
export interface SocketIoRules {
  /** The id of a new socket of the client whose Engine.IO id is `engineId`, in namespace `nsp`. */
  socketId(nsp: string, engineId: string): string;
  /** What the CONNECT that accepts a socket carries (undefined: no payload). */
  connectPayload(sid: string, pid: string | undefined): unknown;
  /** What the CONNECT_ERROR that refuses a socket carries, for the error a middleware passed to `next`. */
  connectErrorPayload(err: Error & { data?: unknown }): unknown;
  /** Whether the client is in the root namespace as soon as it arrives, without asking for it. */
  readonly autoConnectsRoot: boolean;
  /** A packet as the client sent it, with the namespace and (for a CONNECT) the auth where v5 puts them. */
  readIncoming(packet: SocketPacket): SocketPacket;
  /** Whether connection state recovery applies (the client can present its `pid` and `offset`). */
  readonly recovers: boolean;
  /** Whether the `parser` option's parser encodes this client's packets (else ours does). */
  readonly customParser: boolean;
}

/** Socket.IO v5: socket.io-client 3.x and 4.x. */
const SOCKET_IO_V5: SocketIoRules = {
  socketId: () => generateSessionId(),
  connectPayload: (sid, pid) => (pid === undefined ? { sid } : { sid, pid }),
  connectErrorPayload: (err) => (err.data === undefined ? { message: err.message } : { message: err.message, data: err.data }),
  autoConnectsRoot: false,
  readIncoming: (packet) => packet,
  recovers: true,
  customParser: true,
};

/** Socket.IO v4: socket.io-client 2.x over Engine.IO v3. */
const SOCKET_IO_V4: SocketIoRules = {
  // The Engine.IO id, prefixed with `/<nsp>#` outside the root namespace.
  socketId: (nsp, engineId) => (nsp === '/' ? engineId : `${nsp}#${engineId}`),
  connectPayload: () => undefined,
  // socket.io 4 tests truthiness: empty data falls back to the message.
  connectErrorPayload: (err) => err.data || err.message,
  autoConnectsRoot: true,
  readIncoming(packet) {
    // `/admin?token=x` is namespace `/admin` with auth `{ token: 'x' }`.
    const q = packet.nsp.indexOf('?');
    if (q === -1) return packet;
    const nsp = packet.nsp.slice(0, q);
    if (packet.type !== SocketPacketType.CONNECT) return { ...packet, nsp };
    return { ...packet, nsp, data: { ...parseQueryString(packet.nsp.slice(q + 1)) } };
  },
  // A parser for v5 clients does not speak v4.
  customParser: false,
  recovers: false,
};

/** The 0.7-0.9 protocol: legacy-wire.ts translates the v5 packets; the client cannot ask to recover. */
const SOCKET_IO_09: SocketIoRules = { ...SOCKET_IO_V5, autoConnectsRoot: true, recovers: false, customParser: false };

const RULES_BY_PROTOCOL: Readonly<Record<Connection['protocol'], SocketIoRules>> = { 4: SOCKET_IO_V5, 3: SOCKET_IO_V4, 1: SOCKET_IO_09 };

/** The rules of the generation a session speaks (told by its Engine.IO protocol: 4, 3, or 1 for 0.9). */
export function rulesOf(conn: Pick<Connection, 'protocol'>): SocketIoRules {
  return RULES_BY_PROTOCOL[conn.protocol];
}
