import { describe, expect, it } from 'vitest';
import { SocketPacketType, type SocketPacket } from '../protocol/socket-packet.js';
import type { BroadcastOptions } from './broadcast-options.js';
import { MemorySessionStore } from './memory-session-store.js';
import { type RecordedEvent, SessionRecovery, type SessionStore } from './session-recovery.js';

const OPTIONS = { maxDisconnectionDuration: 60_000, skipMiddlewares: true };

function event(...data: unknown[]): SocketPacket {
  return { type: SocketPacketType.EVENT, nsp: '/', data };
}

function to(rooms: string[], except: string[] = [], volatile = false): BroadcastOptions {
  return { rooms: new Set(rooms), except: new Set(except), flags: { volatile } };
}

/** A store that answers offsets only when told to, in any order: as a remote log may. */
function slowStore(): SessionStore & { pending: (() => void)[] } {
  const memory = new MemorySessionStore(OPTIONS);
  const pending: (() => void)[] = [];
  return {
    pending,
    append: (recorded: RecordedEvent) => {
      const offset = memory.append(recorded);
      return new Promise<string>((resolve) => pending.push(() => resolve(offset)));
    },
    persist: (session) => memory.persist(session),
    take: (pid) => memory.take(pid),
    eventsAfter: (offset, visit) => memory.eventsAfter(offset, visit),
    close: () => memory.close(),
  };
}

describe('SessionRecovery', () => {
  it('keeps plain events with an offset, and leaves volatile ones and ones waiting for acks alone', () => {
    const recovery = new SessionRecovery(new MemorySessionStore(OPTIONS));
    const offsets: (string | undefined)[] = [];
    recovery.record(event('a'), to([]), (offset) => offsets.push(offset));
    recovery.record(event('b'), to([], [], true), (offset) => offsets.push(offset));
    recovery.record({ ...event('c'), id: 1 }, to([]), (offset) => offsets.push(offset));
    recovery.close();
    expect(typeof offsets[0]).toBe('string');
    expect(offsets.slice(1)).toEqual([undefined, undefined]);
  });

  it('sends broadcasts in the order they were made while a store answers offsets late and out of order', async () => {
    const store = slowStore();
    const recovery = new SessionRecovery(store);
    const sent: string[] = [];
    recovery.record(event('first'), to([]), () => sent.push('first'));
    recovery.record(event('volatile'), to([], [], true), () => sent.push('volatile'));
    recovery.record(event('second'), to([]), () => sent.push('second'));
    expect(sent).toEqual([]);
    store.pending[1]!();
    store.pending[0]!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(['first', 'volatile', 'second']);
    // Nothing waits any more: the next broadcast not kept goes at once.
    recovery.record(event('now'), to([], [], true), () => sent.push('now'));
    expect(sent.at(-1)).toBe('now');
    recovery.close();
  });

  it('restores a session once, with the events that reach its rooms, each with its offset last', async () => {
    const recovery = new SessionRecovery(new MemorySessionStore(OPTIONS));
    const offsets: string[] = [];
    const send = (offset: string | undefined): void => void offsets.push(offset!);
    recovery.record(event('seen'), to([]), send);
    recovery.record(event('all'), to([]), send);
    recovery.record(event('desk'), to(['desk']), send);
    recovery.record(event('elsewhere'), to(['kitchen']), send);
    recovery.record(event('not for desk'), to([], ['desk']), send);
    await recovery.persist({ sid: 's1', pid: 'p1', rooms: ['s1', 'desk'], data: { user: 1 } });

    expect(await recovery.restore('p1', 'not-an-offset')).toBeNull();
    // A session comes back once: that attempt took it.
    await recovery.persist({ sid: 's1', pid: 'p1', rooms: ['s1', 'desk'], data: { user: 1 } });
    const restored = await recovery.restore('p1', offsets[0]!);
    expect(restored).toEqual({
      session: { sid: 's1', pid: 'p1', rooms: ['s1', 'desk'], data: { user: 1 }, missedPackets: [['all', offsets[1]], ['desk', offsets[2]]] },
      lastOffset: offsets[4],
    });
    expect(await recovery.restore('p1', offsets[0]!)).toBeNull();
    recovery.close();
  });
});
