import { within } from './wait.js';

/** How the suites drive one generation of the official client. */
export interface GenerationConnectOptions {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The Server's path, e.g. `/socket.io`. */
  path: string;
  /**
   * The transports the client may use, in its own order (`['polling', 'websocket']` upgrades, or for a
   * generation that cannot upgrade, falls back). A generation maps them onto its own names.
   */
  transports: readonly ('polling' | 'websocket')[];
  /** Request headers on every request and on the upgrade, for generations that can send them (`sendsHeaders`). */
  headers?: Record<string, string>;
  /** Query parameters on every request and on the upgrade (every generation can send them). */
  query?: Record<string, string>;
  /** Reconnect quickly after a lost connection (100 ms, then at most 200 ms apart; 0.9: from 100 ms, doubling), instead of staying closed. */
  reconnect?: boolean;
  /** How long connecting, and then each acknowledgement, may take, in ms. Default 5000. */
  patience?: number;
}

/** A connected client of one generation, reduced to what the suites check. */
export interface GenerationClient {
  /** Emits `event` with `args`, asking for no acknowledgement. */
  emit(event: string, ...args: unknown[]): void;
  /** Emits `event` with `args` and resolves with the first value of the server's acknowledgement. */
  ask(event: string, ...args: unknown[]): Promise<unknown>;
  /** Listens to `event` from the server; a server that asks for an acknowledgement passes the callback last. */
  on(event: string, listener: (...args: never[]) => void): void;
  /** Listens to the next `event` only. */
  once(event: string, listener: (...args: never[]) => void): void;
  /** Whether it is connected now: it saw `connect`, and no `disconnect` since (a reconnecting client comes back). */
  readonly connected: boolean;
  /** The transport in use now, as `polling` or `websocket` whatever the generation calls it. */
  transport(): string;
  /** Resolves once the client has seen its connection end. */
  readonly disconnected: Promise<void>;
  /** Closes the client (idempotent). */
  close(): void;
}

/**
 * One row per client generation the core speaks. Every per-generation case of the adapter suite runs once
 * per row; a new generation is one more row.
 */
export interface ClientGeneration {
  /** e.g. `socket.io-client@4` */
  name: string;
  /** Resolves once connected to the main namespace; rejects on a refused or failed connection. */
  connect(options: GenerationConnectOptions): Promise<GenerationClient>;
  /** Whether the generation can upgrade from polling to websocket. */
  upgrades: boolean;
  /** Whether the client can send request headers (`headers`) on its requests and upgrade. */
  sendsHeaders: boolean;
}

const CONNECT_TIMEOUT = 5000;

/** How long connecting and each acknowledgement may take: the options' `patience`, or 5 s. */
export const patienceOf = (options: GenerationConnectOptions): number => options.patience ?? CONNECT_TIMEOUT;

/** The options socket.io-client 2.x and 4.x (the Engine.IO generations) both take, for one suite connection. */
export function managerOptions(options: GenerationConnectOptions): Record<string, unknown> {
  return {
    path: options.path,
    transports: [...options.transports],
    forceNew: true,
    reconnection: options.reconnect === true,
    ...(options.reconnect === true && { reconnectionDelay: 100, reconnectionDelayMax: 200 }),
    timeout: patienceOf(options),
    ...(options.headers !== undefined && { extraHeaders: options.headers }),
    ...(options.query !== undefined && { query: options.query }),
  };
}

/**
 * Loads an official client only when a generation first connects, so that `@switchyard/testing` needs
 * none of them installed to load; a missing one fails the cases that use it, saying how to install it.
 */
export async function loadClient(specifier: string, install: string): Promise<unknown> {
  try {
    return (await import(specifier)) as unknown;
  } catch (err) {
    throw new Error(`cannot load ${specifier}: install it as a devDependency (${install})`, { cause: err });
  }
}

/** An official client's namespace socket, as far as every generation has it. */
interface ClientSocket {
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * The connected client of a generation whose acknowledgements are callbacks (2.x, 0.9): the members they
 * share, over `socket`, and `own`, what each does its own way. Made once `socket` has connected.
 */
export function callbackClient(
  socket: ClientSocket,
  options: GenerationConnectOptions,
  own: { connected(): boolean; transport(): string; close(): void },
): GenerationClient {
  const patience = patienceOf(options);
  return {
    emit: (event, ...args) => void socket.emit(event, ...args),
    ask: (event, ...args) => within(new Promise((answered) => socket.emit(event, ...args, answered)), patience, `the acknowledgement of "${event}"`),
    on: (event, listener) => void socket.on(event, listener),
    once: (event, listener) => void socket.once(event, listener),
    get connected() {
      return own.connected();
    },
    transport: own.transport,
    disconnected: new Promise<void>((resolve) => socket.once('disconnect', () => resolve())),
    close: own.close,
  };
}
