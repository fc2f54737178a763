/* eslint-disable @typescript-eslint/no-explicit-any */
import type { DefaultEventsMap, EventNames, EventParams, EventsMap } from './typed-events.js';
import { Namespace, type NamespaceHost } from './namespace.js';

/** Decides whether a dynamic parent accepts a namespace name: `next(null, true)` to create it. */
export type NamespaceMatcher = (
  name: string,
  auth: Record<string, unknown>,
  next: (err: Error | null, success: boolean) => void,
) => void;

let parentCount = 0;

/**
 * The namespace that `io.of(/regexp/)` or `io.of(fn)` returns. Matching names get a namespace of their
 * own on first connection (its child); the parent's middleware and `connection` listeners apply to every
 * child, and an emit on the parent reaches them all.
 */
export class ParentNamespace<
  TListen extends EventsMap = DefaultEventsMap,
  TEmit extends EventsMap = DefaultEventsMap,
  TServerSide extends EventsMap = DefaultEventsMap,
  TData = any,
> extends Namespace<TListen, TEmit, TServerSide, TData> {
  readonly children = new Set<Namespace<TListen, TEmit, TServerSide, TData>>();
  readonly #matcher: NamespaceMatcher;

  constructor(host: NamespaceHost, matcher: RegExp | NamespaceMatcher) {
    super(host, `/_${parentCount++}`);
    this.#matcher =
      typeof matcher === 'function' ? matcher : (name, _auth, next) => next(null, matcher.test(name));
  }

  /** @internal */
  matches(name: string, auth: Record<string, unknown>, callback: (accepted: boolean) => void): void {
    let answered = false;
    const answer = (err: Error | null, success: boolean): void => {
      if (answered) return;
      answered = true;
      callback(err === null && success === true);
    };
    try {
      this.#matcher(name, auth, answer);
    } catch {
      answer(null, false);
    }
  }

  /** @internal */
  createChild(name: string): Namespace<TListen, TEmit, TServerSide, TData> {
    const child = new Namespace<TListen, TEmit, TServerSide, TData>(this.host, name);
    child.middlewares = this.middlewares;
    child.on('connect', (socket) => this.emitReserved('connect', socket));
    child.on('connection', (socket) => this.emitReserved('connection', socket));
    this.children.add(child);
    return child;
  }

  /** Emits to every socket of every child namespace. */
  override emit<TEv extends EventNames<TEmit>>(ev: TEv, ...args: EventParams<TEmit, TEv>): boolean {
    for (const child of this.children) child.emit(ev, ...args);
    return true;
  }
}
