import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';

/**
 * CORS as socket.io 0.9 did it: the request's Origin is echoed with credentials allowed, so a page on
 * another origin can poll with its cookies. Without an Origin nothing is added.
 */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined || origin === '') return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

/** Answers a CORS preflight: the methods the transports use and whatever headers the page asks for. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    ...corsHeaders(req),
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': typeof requested === 'string' && requested !== '' ? requested : 'Content-Type',
    'Access-Control-Max-Age': '86400',
    'Content-Length': '0',
  });
  res.end();
}

/** Writes a complete answer with CORS headers. */
export function answer(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    ...corsHeaders(req),
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** The `d` field of a JSONP form post: a JSON string, read with a JSON parser. */
export function formField(body: string): string | undefined {
  const d = parseQueryString(body).d;
  if (typeof d !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(d);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
