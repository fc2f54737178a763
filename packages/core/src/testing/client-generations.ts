import { io as connectV4 } from 'socket.io-client';

/** How the suites drive one generation of the official client. */
export interface GenerationConnectOptions {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The Server's path, e.g. `/socket.io`. */
  path: string;
  /** The transports the client may use, in its own order (`['polling', 'websocket']` upgrades). */
  transports: readonly ('polling' | 'websocket')[];
  /** Request headers on every request and on the upgrade (Node clients only). */
  headers?: Record<string, string>;
}

/** A connected client of one generation, reduced to what the suites check. */
export interface GenerationClient {
  /** Emits `event` with `value` and resolves with the server's acknowledgement. */
  ask(event: string, value: string): Promise<unknown>;
  /** The transport in use now (`polling`, `websocket`). */
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

export const socketIoClientV4: ClientGeneration = {
  name: 'socket.io-client@4',
  upgrades: true,
  sendsHeaders: true,
  connect(options) {
    const socket = connectV4(options.url, {
      path: options.path,
      transports: [...options.transports],
      forceNew: true,
      reconnection: false,
      timeout: CONNECT_TIMEOUT,
      ...(options.headers !== undefined && { extraHeaders: options.headers }),
    });
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => {
        socket.off('connect_error');
        resolve({
          ask: (event, value) => socket.timeout(CONNECT_TIMEOUT).emitWithAck(event, value),
          transport: () => socket.io.engine.transport.name,
          disconnected,
          close: () => socket.close(),
        });
      });
      socket.once('connect_error', (err: Error) => {
        socket.close();
        reject(err);
      });
    });
  },
};

/** Every generation the core supports today. */
export const clientGenerations: readonly ClientGeneration[] = [socketIoClientV4];
