import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parseUrlQuery } from '../engine/url-query.js';
import type { NodeHttpHandler } from './node-http-handler.js';

/**
 * Lets several processes serve one endpoint without sticky sessions. A cluster marks the id of every
 * session it opens with its own node, and takes over requests that carry a session id this process does
 * not hold: it forwards them to the owner, which answers them through its own `local` handler.
 */
export interface SessionRouter {
  /** Called once by the Server: how this process answers requests other nodes forward to it. */
  bind(local: NodeHttpHandler): void;
  /** Marks a new session's id (the id the engine would use otherwise) as this node's. */
  markId(id: string): string;
  /**
   * Offered a request whose session this process does not hold. Returns true when it answers the
   * request itself (the session belongs to another node); false leaves it to the engine.
   */
  routeRequest(req: IncomingMessage, res: ServerResponse, sid: string): boolean;
  /** The same for a websocket upgrade. */
  routeUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, sid: string): boolean;
}

/**
 * The session id a request under `path` carries, in any generation's form: `?sid=` (Engine.IO v3/v4),
 * or `<path>1/<transport>/<sid>` and `<path>1/<sid>` (the 0.9 protocol).
 */
export function sessionIdOf(url: string, path: string): string | undefined {
  const q = url.indexOf('?');
  if (q !== -1 && url.includes('sid=', q)) {
    const sid = parseUrlQuery(url).sid;
    if (sid !== undefined && sid.length > 0) return sid;
  }
  const pathname = q === -1 ? url : url.slice(0, q);
  if (!pathname.startsWith(path + '1/')) return undefined;
  const segments = pathname.slice(path.length + 2).split('/').filter((s) => s.length > 0);
  return segments.length === 1 || segments.length === 2 ? segments[segments.length - 1] : undefined;
}
