/* eslint-disable @typescript-eslint/no-explicit-any */
import { type BaseNamespace, findEventMethod, isPromiseLike, type NamespaceClass } from './class-namespace.js';
import { MAX_EARLY_PACKETS, tooManyEarlyPacketsError } from './errors.js';
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
    // Events that come while an async initialize() runs wait for it, up to MAX_EARLY_PACKETS of them; past
    // that the connection is closed, as a 0.9 client's are while a namespace's middleware runs.
    let waiting = 0;
    if (ready !== undefined) void ready.then(() => (ready = undefined));
    socket.onAny((event: string, ...args: unknown[]) => {
      if (ready === undefined) return dispatch(instance, event, args);
      if (++waiting > MAX_EARLY_PACKETS) {
        if (waiting === MAX_EARLY_PACKETS + 1) {
          socket._onError(tooManyEarlyPacketsError(socket.nsp.name, 'initialize()'));
          socket.disconnect(true);
        }
        return;
      }
      void ready.then(() => dispatch(instance, event, args));
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
  if (!instance.socket.connected) return;
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (args.pop() as (...values: unknown[]) => void) : undefined;
  const { name, fn } = findEventMethod(instance, event);
  let call: () => unknown;
  if (fn === undefined && (event === 'message' || event === 'json' || event === 'error')) {
    // The 0.9 packet kinds (and `error`) fall back to their hooks, which the ACL guards by name.
    const hook = event === 'message' ? 'recvMessage' : event === 'json' ? 'recvJson' : 'recvError';
    if (!instance.isMethodAllowed(hook)) {
      instance.error('method_access_denied', `You do not have access to method "${hook}"`);
      return;
    }
    if (event === 'error') {
      guard(instance, () => instance.recvError(args));
      return;
    }
    call = () => (event === 'message' ? instance.recvMessage(args[0]) : instance.recvJson(args[0]));
  } else if (name === undefined) {
    instance.error('unallowed_event_name', `Event name "${event}" has no method: use letters, digits, "_", "-" and spaces`);
    return;
  } else if (!instance.isMethodAllowed(name)) {
    // Checked before existence, so a denied client learns nothing about which methods exist.
    instance.error('method_access_denied', `You do not have access to method "${name}"`);
    return;
  } else if (fn === undefined) {
    instance.error('no_such_method', `The method "${name}" was not found`);
    return;
  } else if (args.length < fn.length) {
    instance.error('invalid_method_args', `Method "${name}" takes ${fn.length} argument(s); the event carried ${args.length}`);
    return;
  } else {
    call = () => fn.apply(instance, args);
  }
  let result: unknown;
  try {
    result = call();
  } catch (err) {
    instance.error('method_error', messageOf(err));
    return;
  }
  if (!isPromiseLike(result)) {
    if (ack !== undefined) reply(instance, ack, result);
    return;
  }
  result.then(
    (value) => {
      if (ack !== undefined) reply(instance, ack, value);
    },
    (err: unknown) => instance.error('method_error', messageOf(err)),
  );
}

function reply(instance: BaseNamespace, ack: (...values: unknown[]) => void, value: unknown): void {
  try {
    if (value === undefined) ack();
    else ack(value);
  } catch (err) {
    // The value could not be encoded (a cycle, absurd nesting): the client hears of it, nothing crashes.
    instance.error('method_error', messageOf(err));
  }
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
