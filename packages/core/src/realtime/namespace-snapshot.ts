/* eslint-disable @typescript-eslint/no-explicit-any */
import { type ConnectionCounts, countConnection, emptyCounts } from '../engine/session-snapshot.js';
import type { Room, SocketId } from './adapter.js';
import type { Namespace } from './namespace.js';

/** A room of a namespace and how many of this process's sockets are in it. */
export interface RoomSnapshot {
  name: Room;
  members: number;
}

/** One namespace as `snapshotNamespace` describes it: plain data, JSON-serializable. */
export interface NamespaceSnapshot {
  name: string;
  /** Its sockets in this process, by the generation and transport of the session under each. */
  sockets: ConnectionCounts;
  /**
   * Its rooms in this process, largest first (then by name). The room every socket has by its own id is
   * left out: there is one per socket, already counted in `sockets`.
   */
  rooms: RoomSnapshot[];
}

/** What a namespace holds in this process now: its sockets and its rooms with their member counts. */
export function snapshotNamespace(nsp: Namespace<any, any, any, any>): NamespaceSnapshot {
  const sockets = emptyCounts();
  for (const socket of nsp.sockets.values()) countConnection(sockets, socket.conn);
  const rooms: RoomSnapshot[] = [];
  // An adapter built on socket.io-adapter keeps the same map under the same name.
  const all = (nsp.adapter as { rooms?: Map<Room, Set<SocketId>> }).rooms ?? new Map<Room, Set<SocketId>>();
  for (const [name, members] of all) {
    if (members.size === 1 && members.has(name as SocketId)) continue; // a socket's own room
    rooms.push({ name, members: members.size });
  }
  rooms.sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { name: nsp.name, sockets, rooms };
}
