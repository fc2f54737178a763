/** While tunnels or forwarded requests are open, how often each node at their other end is checked. */
const PROBE_MS = 1000;
/** Checks in a row that nobody heard before that node's tunnels end (a subscriber may be reconnecting). */
const PROBE_MISSES = 3;

export interface OwnerProbeOptions {
  /** The nodes at the other end of the open tunnels and forwarded requests (none: the probe stops until `watch`). */
  targets(): Set<string>;
  /** Publishes a probe to a node; resolves with how many heard it. */
  probe(target: string): Promise<number>;
  /** Whether a count of 0 means nobody heard (see RedisPubSub.countsReceivers). */
  countsReceivers(): boolean;
  /** Nobody at `target` any more: end its tunnels and requests. */
  onGone(target: string): void;
}

/**
 * A tunnel carries nothing while its client is idle, and a held poll waits in silence, so a node at
 * their other end that died (SIGKILL, a lost machine) would go unnoticed until the client's heartbeat
 * times out (45 s or more) or forwardTimeout passes. Each node at the other end of an open tunnel or
 * forwarded request is asked every PROBE_MS whether it still listens; when nobody heard PROBE_MISSES
 * times in a row, its tunnels end and its requests are refused, and their clients reconnect at once.
 * Without an answer (Redis away), no verdict.
 */
export class OwnerProbe {
  readonly #options: OwnerProbeOptions;
  /** Node → checks in a row that nobody heard. */
  readonly #misses = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: OwnerProbeOptions) {
    this.#options = options;
  }

  /** A tunnel opened or a request was forwarded: probing runs (again) while there are some. */
  watch(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(this.#check, PROBE_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#misses.clear();
  }

  readonly #check = (): void => {
    const targets = this.#options.targets();
    if (targets.size === 0) return this.stop();
    if (!this.#options.countsReceivers()) return;
    for (const target of targets) {
      this.#options.probe(target).then((receivers) => {
        const misses = receivers > 0 ? 0 : (this.#misses.get(target) ?? 0) + 1;
        if (misses > 0 && misses < PROBE_MISSES) return void this.#misses.set(target, misses);
        this.#misses.delete(target);
        if (misses > 0 && this.#timer !== undefined) this.#options.onGone(target);
      }, noop);
    }
  };
}

function noop(): void {}
