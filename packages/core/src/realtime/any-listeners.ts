/* eslint-disable @typescript-eslint/no-explicit-any */

/** A catch-all listener: the event name, then its arguments. */
export type AnyListener = (event: string, ...args: any[]) => void;

/**
 * The catch-all listeners of one socket (incoming or outgoing). Copy-on-write: adding or removing makes a
 * new list, so calling them for every packet copies nothing.
 */
export class AnyListeners {
  #list: readonly AnyListener[] = [];

  get size(): number {
    return this.#list.length;
  }

  add(listener: AnyListener): void {
    this.#list = [...this.#list, listener];
  }

  prepend(listener: AnyListener): void {
    this.#list = [listener, ...this.#list];
  }

  /** Removes one listener, or all of them when none is named. */
  remove(listener?: AnyListener): void {
    if (listener === undefined) {
      this.#list = [];
      return;
    }
    const index = this.#list.indexOf(listener);
    if (index !== -1) this.#list = this.#list.filter((_, i) => i !== index);
  }

  toArray(): AnyListener[] {
    return [...this.#list];
  }

  /** Calls every listener with `this` bound to `self`; a throw stops the round and propagates. */
  call(self: unknown, event: readonly unknown[]): void {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) list[i]!.apply(self, event as [string, ...unknown[]]);
  }
}
