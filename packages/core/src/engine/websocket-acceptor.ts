import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EngineGeneration } from './generations.js';
import type { PerMessageDeflateOptions } from './options.js';
import type { HostHeaders } from './response-headers.js';
import { DETACHED_SINK } from './transport.js';
import type { UpgradeResponse } from './upgrade-response.js';
import { WebSocketTransport } from './websocket-transport.js';

export interface WebSocketAcceptorOptions {
  maxPayload: number;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  maxWriteBuffer: number;
  /** The host's headers, added to every 101 answer. */
  headers: HostHeaders;
}

/** A websocket upgrade the engine lets through. */
export interface AcceptedUpgrade {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  generation: EngineGeneration;
  /** The middlewares' stand-in response, when there are middlewares: its headers go out with the 101 answer. */
  res: UpgradeResponse | undefined;
  /** The id of the session the upgrade opens, for a websocket handshake. */
  newId: string | undefined;
}

/**
 * Turns the upgrades an engine accepts into websocket transports (through one `ws` server), and keeps the
 * ones whose connection is not closed yet, so that shutting down can wait for them.
 */
export class WebSocketAcceptor {
  readonly #wss: WebSocketServer;
  readonly #maxWriteBuffer: number;
  readonly #headers: HostHeaders;
  /** Websocket transports whose connection is not closed yet. */
  readonly #open = new Set<WebSocketTransport>();
  /** Header lines for the 101 answer of an upgrade under way, taken by the websocket server's `headers` event. */
  readonly #upgradeHeaders = new WeakMap<IncomingMessage, string[]>();

  constructor(options: WebSocketAcceptorOptions) {
    this.#maxWriteBuffer = options.maxWriteBuffer;
    this.#headers = options.headers;
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: options.maxPayload,
      perMessageDeflate: options.perMessageDeflate,
    });
    this.#wss.on('headers', (lines: string[], req: IncomingMessage) => {
      const extra = this.#upgradeHeaders.get(req);
      if (extra === undefined) return;
      this.#upgradeHeaders.delete(req);
      lines.push(...extra);
    });
  }

  /**
   * Answers the upgrade (101) and hands the new transport, framed as `generation` frames, to `onOpen`. A
   * socket that is no longer readable and writable is dropped.
   */
  accept(upgrade: AcceptedUpgrade, onOpen: (transport: WebSocketTransport) => void): void {
    const { req, socket, head, generation } = upgrade;
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    const lines = this.#headers.lines(req, upgrade.newId, upgrade.res?.accept());
    if (lines !== undefined) this.#upgradeHeaders.set(req, lines);
    // The 101 answer and the open packet that follows it leave in one write.
    socket.cork();
    try {
      this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        socket.off('error', ignoreErrors); // ws handles the socket's errors from now on
        onOpen(new WebSocketTransport(DETACHED_SINK, ws, socket, this.#open, this.#maxWriteBuffer, generation.websocket));
      });
    } finally {
      socket.uncork();
    }
  }

  /** Closes every websocket still open (1001) and resolves once they are gone, dropping those slower than `graceMs`. */
  async shutdown(graceMs: number): Promise<void> {
    await Promise.all([...this.#open].map((transport) => transport.shutdown(graceMs)));
  }
}

/** The error listener of an upgrade's socket until ws takes it over (the Engine.IO and 0.9 engines add it first thing). */
export function ignoreErrors(): void {}
