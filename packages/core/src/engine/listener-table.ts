import type { EventEmitter } from 'node:events';

/** The `_events` table every Node EventEmitter keeps its listeners in. */
type WithTable = { _events: object | undefined; _eventsCount: number };

/**
 * Gives an emitter that has no listener yet a listener table V8 keeps in fast mode. Node starts every
 * emitter with a prototype-less table, which V8 holds as a dictionary (about 220 B with a few listeners,
 * about 90 B as an ordinary object): per connection that adds up. The table still has no prototype, so
 * an event named like an Object method is no listener; removing an event's last listener turns it into
 * a dictionary again, as Node's own table is from the start. An emitter that already has listeners keeps
 * its table.
 */
export function compactListenerTable(emitter: EventEmitter): void {
  const own = emitter as unknown as WithTable;
  if (own._eventsCount === 0) own._events = Object.setPrototypeOf({}, null) as object;
}

/**
 * Leaves an emitter that has no listener yet without a table: Node makes one on the first `on()` and
 * takes a missing one as empty everywhere else. For emitters that most often never get a listener.
 */
export function dropListenerTable(emitter: EventEmitter): void {
  const own = emitter as unknown as WithTable;
  if (own._eventsCount === 0) own._events = undefined;
}
