import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseQueryString, type ParsedUrlQuery } from 'node:querystring';
import type { TLSSocket } from 'node:tls';
import type { RequestInfo } from '../engine/retained-request.js';

/** What the client's handshake looked like, as socket.io exposes it on `socket.handshake`. */
export interface Handshake {
  headers: IncomingHttpHeaders;
  /** When the handshake happened, as a date string. */
  time: string;
  address: string;
  /** Whether the request came from another origin. */
  xdomain: boolean;
  secure: boolean;
  /** When the handshake happened, in milliseconds since the epoch. */
  issued: number;
  url: string;
  query: ParsedUrlQuery;
  /** The client's `auth` payload. */
  auth: Record<string, unknown>;
}

/**
 * The auth of a CONNECT that carried none: one shared object until a handshake is built, which gets an
 * `{}` of its own (the application may write to `handshake.auth`).
 */
export const NO_AUTH: Record<string, unknown> = Object.freeze({});

/**
 * `address` defaults to the request's peer, which is empty once that connection has closed. Without a
 * request (a connection the engine got some other way, WebTransport in socket.io), the handshake is
 * secure and has no headers, url or query, as socket.io's.
 */
export function buildHandshake(
  req: RequestInfo | undefined,
  auth: Record<string, unknown>,
  address: string = req?.socket.remoteAddress ?? '',
  issued: number = Date.now(),
): Handshake {
  const url = req === undefined ? undefined : (req.url ?? '/');
  const q = url === undefined ? -1 : url.indexOf('?');
  const now = new Date(issued);
  return {
    headers: req?.headers ?? {},
    time: now.toString(),
    address,
    xdomain: req?.headers.origin !== undefined,
    secure: req === undefined || (req.socket as Partial<TLSSocket>).encrypted === true,
    issued: now.getTime(),
    // Left undefined without a request, as socket.io leaves it.
    url: url as string,
    query: url === undefined || q === -1 ? {} : parseQueryString(url.slice(q + 1)),
    auth: auth === NO_AUTH ? {} : auth,
  };
}
