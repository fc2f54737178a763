import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { serialize, type SerializeOptions } from 'cookie';
import { headerLines } from './upgrade-response.js';

/**
 * engine.io's `cookie` option: `true`, or the `cookie` package's serialize options with a `name`
 * (default `io`). Defaults: `Path=/`, `HttpOnly` (unless `path: false`), `SameSite=Lax`.
 */
export type CookieOption = boolean | (Omit<SerializeOptions, 'path'> & { name?: string; path?: string | false });

/** What the websocket server writes itself in a 101 answer. */
const WEBSOCKET_OWN_HEADERS = ['connection', 'upgrade', 'sec-websocket-accept', 'sec-websocket-extensions', 'sec-websocket-protocol', 'content-length'];

interface SessionCookie {
  name: string;
  options: SerializeOptions;
}

export function resolveCookie(option: CookieOption | undefined): SessionCookie | undefined {
  if (option === undefined || option === false) return undefined;
  const { name = 'io', path, ...rest } = option === true ? {} : option;
  const options: SerializeOptions = { httpOnly: path !== false, sameSite: 'lax', ...rest };
  if (path !== false) options.path = path ?? '/';
  return { name, options };
}

/** The events through which the host adds headers: engine.io's `initial_headers` and `headers`. */
export interface HeaderEvents {
  listenerCount(event: 'headers' | 'initial_headers'): number;
  emit(event: 'headers' | 'initial_headers', headers: OutgoingHttpHeaders, req: IncomingMessage): boolean;
}

/**
 * The headers the host puts on the engine's answers: the session cookie on a handshake, and whatever the
 * `initial_headers` (handshake only) and `headers` (every answer) listeners add. Nothing is built when
 * there is no cookie and nobody listens.
 */
export class HostHeaders {
  readonly #events: HeaderEvents;
  readonly #cookie: SessionCookie | undefined;

  constructor(events: HeaderEvents, cookie: CookieOption | undefined) {
    this.#events = events;
    this.#cookie = resolveCookie(cookie);
  }

  /**
   * Collects them into `base` (or a new object); undefined when there are none. `newId` is the id of the
   * session a handshake opens, and is given for a handshake only.
   */
  collect(req: IncomingMessage, newId: string | undefined, base?: OutgoingHttpHeaders): OutgoingHttpHeaders | undefined {
    const events = this.#events;
    const cookie = newId === undefined ? undefined : this.#cookie;
    const initial = newId !== undefined && events.listenerCount('initial_headers') > 0;
    if (cookie === undefined && !initial && events.listenerCount('headers') === 0) return base;
    const headers = base ?? {};
    if (cookie !== undefined) appendCookie(headers, serialize(cookie.name, newId!, cookie.options));
    if (newId !== undefined) events.emit('initial_headers', headers, req);
    events.emit('headers', headers, req);
    return headers;
  }

  /** For an HTTP answer not written yet: what collect() gives, set on `res` (a Set-Cookie is added to). */
  apply(req: IncomingMessage, res: ServerResponse, newId: string | undefined): void {
    const headers = this.collect(req, newId);
    if (headers === undefined) return;
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value === undefined) continue;
      try {
        if (name.toLowerCase() === 'set-cookie' && res.hasHeader(name)) res.appendHeader(name, value as string | string[]);
        else res.setHeader(name, value);
      } catch {
        // a header that is not valid is left out rather than thrown into the host
      }
    }
  }

  /** For a websocket's 101 answer: header lines, or undefined when there are none. */
  lines(req: IncomingMessage, newId: string | undefined, base: OutgoingHttpHeaders | undefined): string[] | undefined {
    const headers = this.collect(req, newId, base);
    if (headers === undefined) return undefined;
    const lines = headerLines(headers, WEBSOCKET_OWN_HEADERS);
    return lines.length === 0 ? undefined : lines;
  }
}

function appendCookie(headers: OutgoingHttpHeaders, cookie: string): void {
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'set-cookie') ?? 'Set-Cookie';
  const previous = headers[name];
  headers[name] = previous === undefined ? [cookie] : [...(Array.isArray(previous) ? previous : [String(previous)]), cookie];
}
