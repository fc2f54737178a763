import type { IncomingMessage } from 'node:http';

/** What nodes exchange to answer a request for a session that lives on another node. */
export type ForwardMessage =
  /** An HTTP request (polling), with its whole body. */
  | { t: 'request'; id: string; from: string; method: string; url: string; headers: string[]; body: Buffer | undefined }
  /** Part of the answer: the head once, then body chunks, then the end. */
  | { t: 'response'; id: string; status?: number; headers?: string[]; chunks: Buffer[]; end: boolean }
  /** The requester's client went away before the answer. */
  | { t: 'abort'; id: string }
  /** A websocket upgrade: the raw connection is carried both ways (`data`, `end`). */
  | { t: 'tunnel'; id: string; from: string; head: Buffer }
  | { t: 'data'; id: string; chunks: Buffer[]; end: boolean }
  /** Is anyone there? Sent while tunnels to a node are open; ignored by the node (its subscription is the answer). */
  | { t: 'probe'; id: '' };

export type RequestMessage = Extract<ForwardMessage, { t: 'request' }>;

/** Engine.IO's refusals of a session nobody holds, for when the local Server cannot answer (closing). */
export const UNKNOWN_SID = JSON.stringify({ code: 1, message: 'Session ID unknown' });
export const REFUSED_UPGRADE = `HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nSession ID unknown`;

/** Headers that describe one hop, never the message: each side sets its own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'content-length',
]);

/** `rawHeaders` without the hop-by-hop ones (and content-length, which is recomputed). */
export function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i]!.toLowerCase())) kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/** The request line and headers of an upgrade request, as they came over the wire. */
export function rawRequestHead(req: IncomingMessage): Buffer {
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return Buffer.from(head + '\r\n', 'latin1');
}
