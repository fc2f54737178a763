import { type IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { parseUrlQuery } from './url-query.js';

/**
 * The own properties a request has when only Node's http server and the engine touched it: those the
 * constructor sets, `parser` (an upgrade), `_eventsCount` (a listener was added) and the engine's
 * `_query`. Anything else was added by middleware (express-session's `req.session`, passport's
 * `req.user`, a framework's own fields), and such a request is kept as it is.
 */
const NODE_KEYS: ReadonlySet<PropertyKey> = new Set<PropertyKey>([
  ...Reflect.ownKeys(new IncomingMessage(null as unknown as Socket)),
  'parser',
  '_eventsCount',
  '_query',
]);

/** Node sets `upgrade` on every request it parses; its types leave it out. */
type NodeRequest = IncomingMessage & { upgrade?: boolean; _query?: unknown };

/** Headers whose values repeat from one client to the next (one browser's user agent, the server's host). */
const REPEATING_VALUES: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'upgrade',
  'origin',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'pragma',
  'sec-websocket-version',
  'sec-websocket-extensions',
]);

/** A header name as clients spell it, shared by every released request, with its shared values. */
interface SharedName {
  readonly name: string;
  readonly key: string;
  readonly values: Map<string, string> | undefined;
}

/**
 * One copy of each header name (`Sec-WebSocket-Key`, `User-Agent`) and of each value of a header whose
 * values repeat, shared by the released requests of every connection instead of a copy per connection.
 * Bounded, since clients choose what they send.
 */
const sharedNames = new Map<string, SharedName>();
/**
 * Request URLs: the websocket handshakes of one client library all ask for the same one. Polling
 * handshakes carry a fresh `t=` each, so URLs have a budget of their own: they never use up the headers'.
 */
const sharedUrls = new Map<string, string>();
/** How many header strings are shared; once at MAX_SHARED, new ones are kept per request. */
const headerBudget = { used: 0 };
const urlBudget = { used: 0 };
const MAX_SHARED = 2048;
const MAX_SHARED_URLS = 256;

function share(map: Map<string, string>, value: string, budget: { used: number } = headerBudget, max = MAX_SHARED): string {
  const shared = map.get(value);
  if (shared !== undefined || budget.used >= max) return shared ?? value;
  map.set(value, value);
  budget.used++;
  return value;
}

/**
 * Replaces the strings of `rawHeaders` (name, value, name, value, …) with their shared copies, and the
 * same values in `headers` (where Node put the very same string: joined duplicates are left alone).
 */
function shareHeaderStrings(rawHeaders: string[], headers: IncomingHttpHeaders): void {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    let entry = sharedNames.get(rawHeaders[i]!);
    if (entry === undefined) {
      if (headerBudget.used >= MAX_SHARED) continue;
      const key = rawHeaders[i]!.toLowerCase();
      entry = { name: rawHeaders[i]!, key, values: REPEATING_VALUES.has(key) ? new Map() : undefined };
      sharedNames.set(entry.name, entry);
      headerBudget.used++;
    }
    rawHeaders[i] = entry.name;
    if (entry.values === undefined) continue;
    const value = rawHeaders[i + 1]!;
    // Equal strings compare equal whichever copy they are: both places are written.
    const shared = share(entry.values, value);
    rawHeaders[i + 1] = shared;
    if (headers[entry.key] === value) headers[entry.key] = shared;
  }
}

/** Holders whose handshake ends with the current task: one microtask releases them all. */
const pending: RetainedRequest[] = [];

function releasePending(): void {
  for (let i = 0; i < pending.length; i++) pending[i]!.release();
  pending.length = 0;
}

/** What a session reads of its request without asking for the request itself (`socket.handshake`). */
export interface RequestInfo {
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly socket: Socket;
}

/**
 * The request that opened a session, kept for `conn.request` / `socket.request` at a fraction of its
 * size. Until the handshake's task ends the holder keeps the request itself (the engine's hooks and
 * `connection` listeners see it); then, unless middleware added own properties to it, it keeps only
 * what a request is made of (method, url, version, headers — the very object `socket.handshake.headers`
 * is —, raw headers, the peer's socket) and builds an `http.IncomingMessage` from them on first access,
 * once: later reads get the same object.
 */
export class RetainedRequest implements RequestInfo {
  #request: IncomingMessage | undefined;
  readonly method: string | undefined;
  #url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly #rawHeaders: string[];
  readonly socket: Socket;
  readonly #versionMajor: number;
  readonly #versionMinor: number;
  readonly #upgrade: boolean;

  constructor(request: IncomingMessage) {
    this.#request = request;
    this.method = request.method;
    this.#url = request.url;
    this.headers = request.headers;
    this.#rawHeaders = request.rawHeaders;
    this.socket = request.socket;
    this.#versionMajor = request.httpVersionMajor;
    this.#versionMinor = request.httpVersionMinor;
    this.#upgrade = (request as NodeRequest).upgrade === true;
    if (pending.push(this) === 1) queueMicrotask(releasePending);
  }

  get url(): string | undefined {
    return this.#url;
  }

  /** The request: the original, or the one rebuilt after it was released (the same object every time). */
  get(): IncomingMessage {
    return (this.#request ??= this.#rebuild());
  }

  /**
   * Drops the original request when nothing but Node and the engine touched it. Kept: one with own
   * properties Node does not set, one of another class (Express's prototype with `req.ip`, a server's
   * own `IncomingMessage` option), one whose url or headers object middleware replaced.
   */
  release(): void {
    const request = this.#request;
    if (request === undefined || request.url !== this.url || request.headers !== this.headers) return;
    if (Object.getPrototypeOf(request) !== IncomingMessage.prototype) return;
    for (const key of Reflect.ownKeys(request)) if (!NODE_KEYS.has(key)) return;
    this.#request = undefined;
    shareHeaderStrings(this.#rawHeaders, this.headers);
    if (this.#url !== undefined) this.#url = share(sharedUrls, this.#url, urlBudget, MAX_SHARED_URLS);
  }

  #rebuild(): IncomingMessage {
    const request: NodeRequest = new IncomingMessage(this.socket);
    request.method = this.method;
    request.url = this.url;
    request.httpVersionMajor = this.#versionMajor;
    request.httpVersionMinor = this.#versionMinor;
    request.httpVersion = `${this.#versionMajor}.${this.#versionMinor}`;
    request.rawHeaders = this.#rawHeaders;
    request.headers = this.headers;
    request.upgrade = this.#upgrade;
    request.complete = true;
    request._query = parseUrlQuery(this.url ?? '');
    // The body (there is none in a handshake) was read long ago.
    request.push(null);
    return request;
  }
}

/** Where an owner (a session) keeps its holder. */
const HOLDER = Symbol('switchyard.retainedRequest');
type Owner = { [HOLDER]?: RetainedRequest };

/**
 * `owner.request` as an own, enumerable property whose value is read from the holder: deletable and
 * assignable as the plain field it stands for (socket.io's tests `delete conn.request`), each instance
 * sharing one getter and setter.
 */
const REQUEST_PROPERTY: PropertyDescriptor = {
  get(this: Owner): IncomingMessage | undefined {
    return this[HOLDER]?.get();
  },
  set(this: Owner, value: unknown): void {
    Object.defineProperty(this, 'request', { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** Gives `owner` a `request` property backed by a {@link RetainedRequest} of `request`. */
export function retainRequest(owner: object, request: IncomingMessage): void {
  (owner as Owner)[HOLDER] = new RetainedRequest(request);
  Object.defineProperty(owner, 'request', REQUEST_PROPERTY);
}

/**
 * What `owner.request` says without rebuilding a released request: the holder while the property is
 * the one {@link retainRequest} defined, whatever was assigned to it since, undefined once deleted.
 */
export function requestInfoOf(owner: object): RequestInfo | undefined {
  const property = Object.getOwnPropertyDescriptor(owner, 'request');
  if (property === undefined) return undefined;
  return property.get === REQUEST_PROPERTY.get ? (owner as Owner)[HOLDER] : (property.value as RequestInfo | undefined);
}
