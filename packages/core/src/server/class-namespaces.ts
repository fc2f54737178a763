/* eslint-disable @typescript-eslint/no-explicit-any */
import type { IncomingMessage } from 'node:http';
import type { LegacySession } from '../engine/legacy/legacy-session.js';
import type { Session } from '../engine/session.js';
import { type ClassContextSource, mountNamespaceClass } from '../realtime/class-mount.js';
import type { NamespaceClass } from '../realtime/class-namespace.js';
import type { Namespace } from '../realtime/namespace.js';
import type { Socket } from '../realtime/socket.js';

type ClassMap = Readonly<Record<string, NamespaceClass>>;
type AnySession = Session | LegacySession;

/**
 * The server's side of class-based namespaces: which class serves which namespace (for every connection
 * with `register`, or per connection with `manage`), the session object shared by a connection's
 * namespaces, and the request object the mounting framework handed in.
 */
export class ClassNamespaces {
  /** What the framework handed in with a request, until that request opens a session. */
  readonly #contexts = new WeakMap<IncomingMessage, unknown>();
  readonly #pendingManaged = new WeakMap<IncomingMessage, ClassMap>();
  // Keyed by the session object, which sockets hand out as `socket.conn`.
  readonly #managed = new WeakMap<object, ClassMap>();
  readonly #frameworkRequests = new WeakMap<object, unknown>();
  readonly #sessions = new WeakMap<object, Record<string, unknown>>();
  readonly #registered = new Map<string, NamespaceClass>();
  /** Namespaces already mounted (one mount serves `register` and `manage` alike). */
  readonly #mounted = new Set<string>();
  /** Namespaces that refuse connections with no class to serve them (those named by `manage`). */
  readonly #guarded = new Set<string>();

  readonly #source: ClassContextSource = {
    sessionOf: (socket) => {
      let session = this.#sessions.get(socket.conn);
      if (session === undefined) this.#sessions.set(socket.conn, (session = {}));
      return session;
    },
    requestOf: (socket) => (this.#frameworkRequests.has(socket.conn) ? this.#frameworkRequests.get(socket.conn) : socket.request),
    classFor: (socket) => this.#classFor(socket),
  };

  /** What the framework handed in with the request that opened `socket`'s connection, else `socket.request`. */
  requestOf(socket: Socket): unknown {
    return this.#source.requestOf(socket);
  }

  /** Remembers what the framework handed in with `req` (its own request object). */
  rememberContext(req: IncomingMessage, context: unknown): void {
    this.#contexts.set(req, context);
  }

  /** Remembers the classes `manage` gave the connection that `req` belongs to. */
  rememberManaged(req: IncomingMessage, classes: ClassMap): void {
    this.#pendingManaged.set(req, classes);
  }

  /** A session was opened: it keeps what was remembered for the request that opened it. */
  bind(session: AnySession): void {
    const req = session.request;
    if (this.#contexts.has(req)) this.#frameworkRequests.set(session, this.#contexts.get(req));
    const managed = this.#pendingManaged.get(req);
    if (managed !== undefined) this.#managed.set(session, managed);
  }

  /** Serves `nsp` with `Class` for every connection. */
  register(nsp: Namespace<any, any, any, any>, Class: NamespaceClass): void {
    if (this.#registered.has(nsp.name)) throw new TypeError(`a class is already registered for ${nsp.name}`);
    this.#registered.set(nsp.name, Class);
    this.#mount(nsp);
  }

  /** Makes `nsp` ready for per-connection classes: a connection with none for it is refused. */
  guard(nsp: Namespace<any, any, any, any>): void {
    if (this.#guarded.has(nsp.name)) return;
    this.#guarded.add(nsp.name);
    nsp.use((socket, next) => {
      if (this.#classFor(socket as Socket) !== undefined) next();
      else next(new Error('Invalid namespace'));
    });
    this.#mount(nsp);
  }

  #mount(nsp: Namespace<any, any, any, any>): void {
    if (this.#mounted.has(nsp.name)) return;
    this.#mounted.add(nsp.name);
    mountNamespaceClass(nsp, undefined, this.#source);
  }

  #classFor(socket: Socket): NamespaceClass | undefined {
    return this.#managed.get(socket.conn)?.[socket.nsp.name] ?? this.#registered.get(socket.nsp.name);
  }
}
