import type { PersistedSession, RecordedEvent, RecoveryOptions, SessionStore } from './session-recovery.js';

interface KeptEvent extends RecordedEvent {
  offset: string;
  emittedAt: number;
}

/**
 * Connection state recovery in this process's memory: events and sessions are kept for
 * `maxDisconnectionDuration`, then forgotten (checked at most once a minute).
 */
export class MemorySessionStore implements SessionStore {
  readonly #options: RecoveryOptions;
  readonly #sessions = new Map<string, { session: PersistedSession; disconnectedAt: number }>();
  #events: KeptEvent[] = [];
  #offsetCounter = 0;
  readonly #offsetPrefix = Date.now().toString(36);
  readonly #timer: NodeJS.Timeout;

  constructor(options: RecoveryOptions) {
    this.#options = options;
    this.#timer = setInterval(() => this.#forgetExpired(), Math.min(60_000, options.maxDisconnectionDuration));
    this.#timer.unref();
  }

  append(event: RecordedEvent): string {
    const offset = `${this.#offsetPrefix}-${(this.#offsetCounter++).toString(36)}`;
    this.#events.push({ ...event, offset, emittedAt: Date.now() });
    return offset;
  }

  persist(session: PersistedSession): void {
    this.#sessions.set(session.pid, { session, disconnectedAt: Date.now() });
  }

  take(pid: string): PersistedSession | undefined {
    const entry = this.#sessions.get(pid);
    if (entry === undefined) return undefined;
    this.#sessions.delete(pid);
    return Date.now() - entry.disconnectedAt > this.#options.maxDisconnectionDuration ? undefined : entry.session;
  }

  eventsAfter(offset: string, visit: (event: RecordedEvent, offset: string) => void): boolean {
    const index = this.#events.findIndex((event) => event.offset === offset);
    if (index === -1) return false;
    for (let i = index + 1; i < this.#events.length; i++) visit(this.#events[i]!, this.#events[i]!.offset);
    return true;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #forgetExpired(): void {
    const cutoff = Date.now() - this.#options.maxDisconnectionDuration;
    for (const [pid, entry] of this.#sessions) if (entry.disconnectedAt < cutoff) this.#sessions.delete(pid);
    const firstKept = this.#events.findIndex((event) => event.emittedAt >= cutoff);
    this.#events = firstKept === -1 ? [] : this.#events.slice(firstKept);
  }
}
