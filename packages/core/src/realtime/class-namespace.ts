import type { Room } from './adapter.js';
import { methodNameForEvent } from './event-names.js';
import { reportListenerError } from './report-listener-error.js';
import type { Socket } from './socket.js';

/** What a class-based namespace is built with. */
export interface NamespaceContext {
  socket: Socket;
  /** One object per virtual socket, shared by all of its namespaces. */
  session: Record<string, unknown>;
  /** Whatever the mounting framework handed in (its request, with its session and auth). */
  request: unknown;
}

/** A job started with `spawn`: it gets a signal that aborts when the namespace disconnects. */
export type Job = (signal: AbortSignal) => unknown;

/** The error names gevent-socketio sends as `error` events, with the two arguments `[name, message]`. */
export type NamespaceErrorName =
  | 'method_access_denied'
  | 'no_such_method'
  | 'unallowed_event_name'
  | 'invalid_method_args'
  | 'no_such_namespace'
  | 'invalid_packet'
  | 'method_error';

const BASE_RESERVED = new Set(['constructor']);

/**
 * gevent-socketio's namespace, for Node: subclass it and write one method per event (`onChat` for
 * `chat`). One instance lives per (socket, namespace), created when the client connects. A method's
 * return value (or resolved promise) acknowledges the client when it asked for an acknowledgement; a
 * thrown error becomes an `error` event, never a crash.
 */
export abstract class BaseNamespace {
  /** Explicit event → method names for events no method name can carry. */
  static events?: Record<string, string>;

  readonly socket: Socket;
  readonly session: Record<string, unknown>;
  readonly request: unknown;
  #acl: Set<string> | null;
  readonly #jobs = new Set<AbortController>();

  constructor(context: NamespaceContext) {
    this.socket = context.socket;
    this.session = context.session;
    this.request = context.request;
    this.#acl = null;
  }

  /** The namespace's name, e.g. `/chat`. */
  get name(): string {
    return this.socket.nsp.name;
  }

  // ---- hooks ----

  /** Runs once, right after construction (the request is available). */
  initialize(): void | Promise<void> {}
  /** The client connected to this namespace. */
  recvConnect(): void | Promise<void> {}
  /** The client left this namespace (or the connection ended); jobs are already stopped. */
  recvDisconnect(): void | Promise<void> {}
  /** A 0.9 `message` packet (or a `message` event). Return a value to acknowledge. */
  recvMessage(_data: unknown): unknown {
    return undefined;
  }
  /** A 0.9 `json` packet. */
  recvJson(_data: unknown): unknown {
    return undefined;
  }
  /** An error packet from the client. */
  recvError(_error: unknown): void {}

  // ---- access control ----

  /** The methods allowed when the socket connects: `null` allows every method. */
  getInitialAcl(): Iterable<string> | null {
    return null;
  }

  resetAcl(): void {
    const initial = this.getInitialAcl();
    this.#acl = initial === null ? null : new Set(initial);
  }

  liftAclRestrictions(): void {
    this.#acl = null;
  }

  addAclMethod(method: string): void {
    this.#acl?.add(method);
  }

  delAclMethod(method: string): void {
    if (this.#acl === null) {
      // Restricting from "everything allowed": allow every method of the class but this one.
      this.#acl = new Set(eventMethodsOf(this));
    }
    this.#acl.delete(method);
  }

  isMethodAllowed(method: string): boolean {
    return this.#acl === null || this.#acl.has(method);
  }

  // ---- sending ----

  /** Emits to this client; a function last gets the acknowledgement. */
  emit(event: string, ...args: unknown[]): void {
    (this.socket.emit as (ev: string, ...rest: unknown[]) => boolean)(event, ...args);
  }

  /** Emits and resolves with the client's acknowledgement. */
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown> {
    return (this.socket.emitWithAck as (ev: string, ...rest: unknown[]) => Promise<unknown>)(event, ...args);
  }

  /** Sends a `message` (a 0.9 message packet, or a `message` event for newer clients). */
  send(message: unknown): void {
    this.emit('message', message);
  }

  /** Sends an `error` event `[name, message]`, as gevent-socketio did. */
  error(name: NamespaceErrorName | string, message: string): void {
    this.emit('error', name, message);
  }

  // ---- rooms and broadcast (through the adapter, so across nodes) ----

  join(room: Room): void {
    this.socket.join(room);
  }

  leave(room: Room): void {
    this.socket.leave(room);
  }

  /** Everyone in that room of this namespace but this socket. */
  emitToRoom(room: Room, event: string, ...args: unknown[]): void {
    (this.socket.to(room).emit as (ev: string, ...rest: unknown[]) => boolean)(event, ...args);
  }

  /** Every socket of this namespace, this one included. */
  broadcastEvent(event: string, ...args: unknown[]): void {
    (this.socket.nsp.emit as (ev: string, ...rest: unknown[]) => boolean)(event, ...args);
  }

  /** Every socket of this namespace but this one. */
  broadcastEventNotMe(event: string, ...args: unknown[]): void {
    (this.socket.broadcast.emit as (ev: string, ...rest: unknown[]) => boolean)(event, ...args);
  }

  // ---- jobs ----

  /** Starts a job tied to this socket: its signal aborts when the namespace disconnects. */
  spawn(job: Job): AbortController {
    const controller = new AbortController();
    if (!this.socket.connected) {
      // Too late: the socket is gone, so the job starts already stopped.
      controller.abort();
      return controller;
    }
    this.#jobs.add(controller);
    controller.signal.addEventListener('abort', () => this.#jobs.delete(controller), { once: true });
    try {
      const result = job(controller.signal);
      if (isPromiseLike(result)) {
        result.then(
          () => this.#jobs.delete(controller),
          (err: unknown) => {
            this.#jobs.delete(controller);
            if (!controller.signal.aborted) reportJobError(this.socket, err);
          },
        );
      }
    } catch (err) {
      this.#jobs.delete(controller);
      reportJobError(this.socket, err);
    }
    return controller;
  }

  /** Stops every job this namespace spawned. */
  killLocalJobs(): void {
    for (const job of [...this.#jobs]) job.abort();
    this.#jobs.clear();
  }

  /** How many jobs of this namespace are running. */
  get jobCount(): number {
    return this.#jobs.size;
  }

  /** Leaves the namespace. */
  disconnect(): void {
    this.socket.disconnect();
  }
}

/** The event-handling methods a class defines (`onX`), for ACL bookkeeping. */
function eventMethodsOf(instance: BaseNamespace): string[] {
  const names = new Set<string>();
  let proto = Object.getPrototypeOf(instance) as object | null;
  while (proto !== null && proto !== BaseNamespace.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (!BASE_RESERVED.has(key) && typeof (proto as Record<string, unknown>)[key] === 'function') names.add(key);
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return [...names];
}

/** The handler for an event: a method the subclass itself defines (never one of the base class). */
export function findEventMethod(instance: BaseNamespace, event: string): { name: string | undefined; fn: ((...args: unknown[]) => unknown) | undefined } {
  const ctor = instance.constructor as typeof BaseNamespace;
  const name = Object.hasOwn(ctor.events ?? {}, event) ? ctor.events![event] : methodNameForEvent(event);
  if (name === undefined || BASE_RESERVED.has(name)) return { name, fn: undefined };
  let proto = Object.getPrototypeOf(instance) as object | null;
  while (proto !== null && proto !== BaseNamespace.prototype) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor !== undefined) {
      // Only a plain method: an accessor is never run on behalf of a client.
      const fn = 'value' in descriptor ? descriptor.value : undefined;
      return { name, fn: typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown) : undefined };
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return { name, fn: undefined };
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function reportJobError(socket: Socket, err: unknown): void {
  reportListenerError(socket.nsp.host.logger, { socket: socket.id, nsp: socket.nsp.name, event: 'job' }, err, 'a job of a namespace class failed');
}

export type NamespaceClass = new (context: NamespaceContext) => BaseNamespace;
