import type { BroadcastOptions, Room, SocketId } from '@switchyard/core';
import { reaches } from '@switchyard/core';
import { compareOffsets } from './redis-session-store.js';

interface Restoring {
  /** The offset of the last event the restored socket was given from the log. */
  offset: string;
  rooms: ReadonlySet<Room>;
  /** Events logged after `offset` that arrived before the socket was back in its rooms. */
  held: { offset: string; data: unknown[] }[];
  until: number;
}

/**
 * Exactly-once recovery. A socket restored from the log got every event up to some offset; events
 * logged around that moment may still be on their way through pub/sub. Such an event at or before the
 * offset is not delivered to it again; one after it that arrives before the socket is back in its rooms
 * (its middleware may still run) is held and given to it once it is. Each socket is watched for
 * `windowMs`, far longer than a pub/sub message takes.
 */
export class RestoringSockets {
  readonly #windowMs: number;
  readonly #sockets = new Map<SocketId, Restoring>();

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  add(id: SocketId, offset: string, rooms: readonly Room[]): void {
    this.#sweep();
    this.#sockets.set(id, { offset, rooms: new Set(rooms), held: [], until: Date.now() + this.#windowMs });
  }

  /**
   * The sockets that must not get the event logged at `offset` now: those that already had it, and
   * those it is held for (`isLocal` says whether a socket is back). Empty when nobody is being restored.
   */
  skip(offset: string, data: unknown[], opts: BroadcastOptions, isLocal: (id: SocketId) => boolean): SocketId[] {
    if (this.#sockets.size === 0) return [];
    this.#sweep();
    const skipped: SocketId[] = [];
    for (const [id, restoring] of this.#sockets) {
      if (compareOffsets(offset, restoring.offset) <= 0) skipped.push(id);
      else if (!isLocal(id) && reaches(opts, restoring.rooms)) {
        restoring.held.push({ offset, data });
        skipped.push(id);
      }
    }
    return skipped;
  }

  /** The events held for a socket that is back, once (in the order they were logged). */
  takeHeld(id: SocketId): unknown[][] {
    const restoring = this.#sockets.get(id);
    if (restoring === undefined || restoring.held.length === 0) return [];
    const held = restoring.held.sort((a, b) => compareOffsets(a.offset, b.offset));
    restoring.held = [];
    return held.map(({ data }) => data);
  }

  clear(): void {
    this.#sockets.clear();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, restoring] of this.#sockets) if (restoring.until < now) this.#sockets.delete(id);
  }
}
