// Which timers the server side of an adapter case leaves behind, told apart from the clients', the test's
// and the runner's own (vitest keeps timers of its own: a test timeout, reports to the main process).
import { AsyncResource, createHook, executionAsyncId } from 'node:async_hooks';

const TIMER_TYPES = new Set(['Timeout', 'Immediate']);

interface TimerResource {
  hasRef(): boolean;
}

/**
 * Watches the Timeout and Immediate resources created on the server side: by what `run()` runs (creating
 * the Server and the app, closing the app) and by everything descending from it asynchronously, which
 * includes every connection the app's server accepts, its requests, promises and timers. Clients connect
 * from outside `run()`, so their timers, like the test's and the runner's, are not counted. The watch
 * starts before the app does, so its baseline is nothing.
 */
export class ServerSideTimers {
  readonly #scope = new AsyncResource('SwitchyardServerSide');
  /** Async ids descending from the scope; they are numbers and a case makes a few thousand, so they stay. */
  readonly #serverSide = new Set<number>([this.#scope.asyncId()]);
  readonly #timers = new Map<number, TimerResource>();
  readonly #hook = createHook({
    init: (asyncId, type, triggerAsyncId, resource) => {
      if (!this.#serverSide.has(triggerAsyncId) && !this.#serverSide.has(executionAsyncId())) return;
      this.#serverSide.add(asyncId);
      if (TIMER_TYPES.has(type)) this.#timers.set(asyncId, resource as TimerResource);
    },
    destroy: (asyncId) => {
      this.#timers.delete(asyncId);
    },
  });

  constructor() {
    this.#hook.enable();
  }

  /** Runs `fn` on the server side: what it starts, and what that starts in turn, is watched. */
  run<T>(fn: () => T): T {
    return this.#scope.runInAsyncScope(fn);
  }

  /** How many server-side timers are pending and would keep the process alive (unref'd ones would not). */
  get pending(): number {
    let count = 0;
    for (const timer of this.#timers.values()) if (timer.hasRef()) count += 1;
    return count;
  }

  stop(): void {
    this.#hook.disable();
    this.#timers.clear();
    this.#scope.emitDestroy();
  }
}
