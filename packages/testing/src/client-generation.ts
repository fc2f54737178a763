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
}

/** A connected client of one generation, reduced to what the suites check. */
export interface GenerationClient {
  /** Emits `event` with `value` and resolves with the server's acknowledgement. */
  ask(event: string, value: string): Promise<unknown>;
  /** Listens to `event` from the server; a server that asks for an acknowledgement passes the callback last. */
  on(event: string, listener: (...args: never[]) => void): void;
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

export const CONNECT_TIMEOUT = 5000;

/** The options socket.io-client 2.x and 4.x (the Engine.IO generations) both take, for one suite connection. */
export function managerOptions(options: GenerationConnectOptions): Record<string, unknown> {
  return {
    path: options.path,
    transports: [...options.transports],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT,
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
