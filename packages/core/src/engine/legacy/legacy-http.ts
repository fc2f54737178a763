import type { ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';

/**
 * Answers a CORS preflight when no `cors` option is given: 204 with no CORS header, so a page on another
 * origin gets no access (as on Engine.IO v3/v4); the `cors` option's handler answers preflights otherwise.
 */
export function answerPreflight(res: ServerResponse): void {
  res.writeHead(204, { 'Content-Length': '0' });
  res.end();
}

/** Writes a complete answer (the CORS headers, when the `cors` option is given, are set on `res` already). */
export function answer(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)) });
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
