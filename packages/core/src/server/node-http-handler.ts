import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Engine } from '../engine/engine.js';
import type { EngineOptions } from '../engine/options.js';

/**
 * The one contract every framework adapter builds on: plain node-http in, a boolean out.
 *
 * - `handleRequest` answers a request under the handler's path and returns true; for any other request
 *   it returns false and has touched nothing, so the framework carries on.
 * - `handleUpgrade` does the same for websocket upgrades.
 * - `close` ends every session and resolves; it never closes the host's http server.
 */
export interface NodeHttpHandler {
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export interface EngineHandler extends NodeHttpHandler {
  /** The engine behind the handler: listen to its `connection` event. */
  readonly engine: Engine;
}

/** A framework-free handler for a bare Engine.IO endpoint. */
export function createEngineHandler(options: EngineOptions = {}): EngineHandler {
  const engine = new Engine(options);
  return {
    engine,
    handleRequest: (req, res) => engine.handleRequest(req, res),
    handleUpgrade: (req, socket, head) => engine.handleUpgrade(req, socket, head),
    close: () => engine.close(),
  };
}
