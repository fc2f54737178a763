/**
 * What differs for Socket.IO v4 clients (socket.io-client 2.x over Engine.IO v3), as socket.io 4 serves
 * them with allowEIO3: the packets are encoded as in v5, but the handshake works another way.
 */
import { parse as parseQueryString } from 'node:querystring';

/** A CONNECT as a v4 client writes it: `/admin?token=x` is namespace `/admin` with auth `{ token: 'x' }`. */
export function splitV4Namespace(nsp: string): { name: string; auth: Record<string, unknown> } {
  const q = nsp.indexOf('?');
  if (q === -1) return { name: nsp, auth: {} };
  return { name: nsp.slice(0, q), auth: { ...parseQueryString(nsp.slice(q + 1)) } };
}

/** A v4 socket's id is the Engine.IO id, prefixed with `/<nsp>#` outside the root namespace. */
export function v4SocketId(nsp: string, engineId: string): string {
  return nsp === '/' ? engineId : `${nsp}#${engineId}`;
}

/** A v4 client receives `err.data`, or the message when there is no data, as the CONNECT_ERROR payload. */
export function v4ConnectErrorPayload(err: Error & { data?: unknown }): unknown {
  return err.data || err.message; // socket.io 4 tests truthiness: empty data falls back to the message
}
