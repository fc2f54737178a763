import type { EventEmitter } from 'node:events';
import { Adapter as SioAdapter } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { Adapter, type AdapterNamespace } from './adapter.js';

const NSP: AdapterNamespace = { name: '/', localSocket: () => undefined, onServerSideEmit: () => {} };

/** The room events an adapter emits while `a` and `b` join and leave, in order. */
function roomEvents(adapter: Adapter | SioAdapter): unknown[][] {
  const seen: unknown[][] = [];
  for (const event of ['create-room', 'delete-room', 'join-room', 'leave-room']) {
    (adapter as EventEmitter).on(event, (...args: unknown[]) => seen.push([event, ...args]));
  }
  adapter.addAll('a', new Set(['a', 'lobby']));
  adapter.addAll('b', new Set(['b', 'lobby']));
  adapter.addAll('a', new Set(['lobby']));
  adapter.del('a', 'lobby');
  adapter.del('a', 'nowhere');
  adapter.delAll('b');
  return seen;
}

describe('the room events of an adapter', () => {
  it("are socket.io-adapter's: create-room, join-room, leave-room, delete-room, in the same order", () => {
    const ours = roomEvents(new Adapter(NSP));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect(ours).toEqual(roomEvents(new SioAdapter({ server: { encoder: {} } } as any)));
    expect(ours).toEqual([
      ['create-room', 'a'],
      ['join-room', 'a', 'a'],
      ['create-room', 'lobby'],
      ['join-room', 'lobby', 'a'],
      ['create-room', 'b'],
      ['join-room', 'b', 'b'],
      ['join-room', 'lobby', 'b'],
      ['leave-room', 'lobby', 'a'],
      ['leave-room', 'b', 'b'],
      ['delete-room', 'b'],
      ['leave-room', 'lobby', 'b'],
      ['delete-room', 'lobby'],
    ]);
  });
});
