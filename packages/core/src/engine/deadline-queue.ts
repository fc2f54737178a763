const now = (): number => performance.now();
/** The longest delay setTimeout takes (a longer one would fire at once); the queue simply re-arms. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * An item's place in a {@link DeadlineQueue}: made once per item and moved from queue to queue, so that
 * queueing allocates nothing. Its links are maintained by the queue that holds it.
 */
export class DeadlineEntry<T> {
  readonly item: T;
  /** The queue holding the entry, if any. */
  queue: DeadlineQueue<T> | undefined = undefined;
  /** When the item falls due (kept after it left the queue). */
  deadline = 0;
  prev: DeadlineEntry<T> | undefined = undefined;
  next: DeadlineEntry<T> | undefined = undefined;

  constructor(item: T) {
    this.item = item;
  }
}

/**
 * Items that fall due at fixed times, all on one timer: a list sorted by deadline, with the timer armed
 * for its head. Deadlines that are "now plus a fixed delay" arrive in order, so adding is O(1) (a
 * deadline earlier than the last one walks back to its place); removing is O(1).
 */
export class DeadlineQueue<T> {
  readonly #onDue: (entry: DeadlineEntry<T>) => void;
  #first: DeadlineEntry<T> | undefined;
  #last: DeadlineEntry<T> | undefined;
  #timer: NodeJS.Timeout | undefined;

  /** `onDue(entry)` runs once the entry's deadline has passed; the entry has left the queue by then. */
  constructor(onDue: (entry: DeadlineEntry<T>) => void) {
    this.#onDue = onDue;
  }

  /** Queues `entry` to fall due at `deadline`, taking it out of any queue it was in. */
  add(entry: DeadlineEntry<T>, deadline: number): void {
    entry.queue?.delete(entry);
    entry.queue = this;
    entry.deadline = deadline;
    let after = this.#last;
    while (after !== undefined && after.deadline > deadline) after = after.prev;
    const before = after === undefined ? this.#first : after.next;
    entry.prev = after;
    entry.next = before;
    if (after === undefined) this.#first = entry;
    else after.next = entry;
    if (before === undefined) this.#last = entry;
    else before.prev = entry;
    if (entry === this.#first) this.#rearm();
  }

  delete(entry: DeadlineEntry<T>): void {
    if (entry.queue !== this) return;
    const { prev, next } = entry;
    if (prev === undefined) this.#first = next;
    else prev.next = next;
    if (next === undefined) this.#last = prev;
    else next.prev = prev;
    entry.queue = entry.prev = entry.next = undefined;
    // Nothing left to wait for: no timer keeps the process alive. (Otherwise a timer armed for an entry
    // just removed fires early, finds the first entry not yet due and waits for it.)
    if (this.#first === undefined) this.#disarm();
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Arms the timer for the first entry. */
  #rearm(): void {
    this.#disarm();
    if (this.#first === undefined) return;
    // Timers have millisecond resolution; rounding up keeps them from firing before the deadline.
    const delay = Math.ceil(this.#first.deadline - now());
    this.#timer = setTimeout(this.#fire, Math.min(Math.max(1, delay), MAX_DELAY));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const t = now();
    try {
      let entry = this.#first;
      while (entry !== undefined && entry.deadline <= t) {
        this.delete(entry);
        this.#onDue(entry);
        entry = this.#first;
      }
    } finally {
      // Also when onDue threw, or queued entries of its own.
      this.#rearm();
    }
  };
}
