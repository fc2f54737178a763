/**
 * The per-tick flush of the sessions of one kind (Engine.IO carriers, 0.9 sessions): every member that
 * queued something within a tick is flushed from one nextTick, in the order it first queued, so that
 * packets sent in one tick leave in one write. A member added while the batch is being flushed is flushed
 * in the same pass. The member keeps its own "already added this tick" flag (cleared by its flush), which
 * costs no lookup here.
 */
export class TickBatch<TMember> {
  readonly #members: TMember[] = [];
  #scheduled = false;
  readonly #flush: (member: TMember) => void;

  /** `flush(member)` writes what `member` queued (or holds it, under the slow-consumer rule). */
  constructor(flush: (member: TMember) => void) {
    this.#flush = flush;
  }

  /** Flushes `member` at the end of this tick; add a member once per tick. */
  add(member: TMember): void {
    this.#members.push(member);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    process.nextTick(this.#drain);
  }

  readonly #drain = (): void => {
    this.#scheduled = false;
    const members = this.#members;
    let i = 0;
    try {
      while (i < members.length) this.#flush(members[i++]!);
    } finally {
      // A flush that threw leaves the members after it to another pass.
      if (i === members.length) {
        members.length = 0;
      } else {
        members.splice(0, i);
        this.#schedule();
      }
    }
  };
}
