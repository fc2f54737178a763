/* eslint-disable @typescript-eslint/no-explicit-any */
import { type BaseNamespace, findEventMethod, isPromiseLike, type NamespaceClass } from './class-namespace.js';
import type { Namespace } from './namespace.js';
import type { Socket } from './socket.js';

/** Supplies what a class-based namespace instance is built with, besides its socket. */
export interface ClassContextSource {
  sessionOf(socket: Socket): Record<string, unknown>;
  requestOf(socket: Socket): unknown;
  /** The class to use for this socket, when the choice depends on the socket (per-request mounts). */
  classFor?(socket: Socket): NamespaceClass | undefined;
}

/**
 * Serves `nsp` with a class: one instance per connecting socket, each event dispatched to its method
 * after the ACL check. Returns a function that unmounts it.
 */
export function mountNamespaceClass(nsp: Namespace<any, any, any, any>, Class: NamespaceClass | undefined, source: ClassContextSource): () => void {
  const onConnection = (socket: Socket): void => {
    const Chosen = source.classFor?.(socket) ?? Class;
    if (Chosen === undefined) return;
    const instance = new Chosen({ socket, session: source.sessionOf(socket), request: source.requestOf(socket) });
    instance.resetAcl();
    let ready: Promise<void> | undefined;
    const init = guard(instance, () => instance.initialize());
    if (isPromiseLike(init)) ready = Promise.resolve(init).then(() => void guard(instance, () => instance.recvConnect()));
    else guard(instance, () => instance.recvConnect());
    socket.onAny((event: string, ...args: unknown[]) => {
      if (ready === undefined) dispatch(instance, event, args);
      else void ready.then(() => dispatch(instance, event, args));
    });
    socket.once('disconnect', () => {
      instance.killLocalJobs();
      guard(instance, () => instance.recvDisconnect());
    });
  };
  nsp.on('connection', onConnection);
  return () => nsp.off('connection', onConnection);
}

/** Runs one incoming event through the ACL to its method and acknowledges with the result. */
function dispatch(instance: BaseNamespace, event: string, args: unknown[]): void {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (args.pop() as (...values: unknown[]) => void) : undefined;
  const { name, fn } = findEventMethod(instance, event);
  let call: (() => unknown) | undefined;
  if (fn !== undefined && name !== undefined) {
    if (!instance.isMethodAllowed(name)) {
      instance.error('method_access_denied', `You do not have access to method "${name}"`);
      return;
    }
    if (args.length < fn.length) {
      instance.error('invalid_method_args', `Method "${name}" takes ${fn.length} argument(s); the event carried ${args.length}`);
      return;
    }
    call = () => fn.apply(instance, args);
  } else if (event === 'message' || event === 'json') {
    const hook = event === 'message' ? 'recvMessage' : 'recvJson';
    if (!instance.isMethodAllowed(hook)) {
      instance.error('method_access_denied', `You do not have access to method "${hook}"`);
      return;
    }
    call = () => (event === 'message' ? instance.recvMessage(args[0]) : instance.recvJson(args[0]));
  } else if (event === 'error') {
    guard(instance, () => instance.recvError(args));
    return;
  } else if (name === undefined) {
    instance.error('unallowed_event_name', `Event name "${event}" has no method: use letters, digits, "_", "-" and spaces`);
    return;
  } else {
    instance.error('no_such_method', `The method "${name}" was not found`);
    return;
  }
  let result: unknown;
  try {
    result = call();
  } catch (err) {
    instance.error('method_error', messageOf(err));
    return;
  }
  if (!isPromiseLike(result)) {
    if (ack !== undefined) reply(ack, result);
    return;
  }
  result.then(
    (value) => {
      if (ack !== undefined) reply(ack, value);
    },
    (err: unknown) => instance.error('method_error', messageOf(err)),
  );
}

function reply(ack: (...values: unknown[]) => void, value: unknown): void {
  if (value === undefined) ack();
  else ack(value);
}

/** Runs a hook; a throw or a rejection becomes an `error` event for the client. */
function guard(instance: BaseNamespace, hook: () => unknown): unknown {
  try {
    const result = hook();
    if (isPromiseLike(result)) {
      return Promise.resolve(result).catch((err: unknown) => instance.error('method_error', messageOf(err)));
    }
    return result;
  } catch (err) {
    instance.error('method_error', messageOf(err));
    return undefined;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
