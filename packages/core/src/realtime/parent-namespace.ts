/* eslint-disable @typescript-eslint/no-explicit-any */
import type { SocketPacket } from '../protocol/socket-packet.js';
import { Adapter, type AdapterNamespace, type BroadcastOptions, type Room, type SocketDetails, type SocketId } from './adapter.js';
import { RealtimeError, RealtimeErrorCode } from './errors.js';
import { Namespace, type NamespaceHost } from './namespace.js';
import type { DefaultEventsMap, EventsMap } from './typed-events.js';

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
  readonly #regExp: RegExp | undefined;

  constructor(host: NamespaceHost, matcher: RegExp | NamespaceMatcher) {
    super(host, `/_${parentCount++}`, (nsp) => new ParentAdapter(nsp, () => (nsp as ParentNamespace<TListen, TEmit, TServerSide, TData>).children));
    this.#matcher =
      typeof matcher === 'function' ? matcher : (name, _auth, next) => next(null, matcher.test(name));
    this.#regExp = typeof matcher === 'function' ? undefined : matcher;
  }

  /**
   * @internal Whether a namespace created by name (`io.of(name)`) belongs to this parent: only a RegExp
   * parent can tell without a client's auth, as in socket.io.
   */
  matchesName(name: string): boolean {
    return this.#regExp?.test(name) === true;
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

}

/**
 * The adapter of a dynamic parent: every broadcast and room operation fans out to the children's own
 * adapters (so it reaches every node of a cluster too).
 */
class ParentAdapter extends Adapter {
  readonly #children: () => Iterable<Namespace<any, any, any, any>>;

  constructor(nsp: AdapterNamespace, children: () => Iterable<Namespace<any, any, any, any>>) {
    super(nsp);
    this.#children = children;
  }

  override broadcast(packet: SocketPacket, opts: BroadcastOptions): void {
    for (const child of this.#children()) child.adapter.broadcast({ ...packet, nsp: child.name }, opts);
  }

  override broadcastWithAck(): void {
    throw new RealtimeError(
      RealtimeErrorCode.UNSUPPORTED_ON_PARENT,
      'broadcasts with acknowledgements are not supported on a dynamic parent namespace: emit on each child',
    );
  }

  override async sockets(rooms: ReadonlySet<Room>): Promise<Set<SocketId>> {
    const all = new Set<SocketId>();
    for (const child of this.#children()) for (const id of await child.adapter.sockets(rooms)) all.add(id);
    return all;
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const found = await Promise.all([...this.#children()].map((child) => child.adapter.fetchSockets(opts)));
    return found.flat();
  }

  override addSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    for (const child of this.#children()) child.adapter.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: readonly Room[]): void {
    for (const child of this.#children()) child.adapter.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const child of this.#children()) child.adapter.disconnectSockets(opts, close);
  }

  override serverSideEmit(): void {
    throw new RealtimeError(RealtimeErrorCode.UNSUPPORTED_ON_PARENT, 'serverSideEmit is not supported on a dynamic parent namespace');
  }
}
