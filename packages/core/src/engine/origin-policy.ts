import type { IncomingMessage } from 'node:http';
import type { CorsOptions, CorsOrigin } from './options.js';

/** Decides whether a request's origin may open (or upgrade) a session; may answer later (a cors function). */
export type OriginCheck = (req: IncomingMessage, done: (allowed: boolean) => void) => void;

type StaticOrigin = Exclude<CorsOrigin, (...args: never[]) => unknown>;

/**
 * The origin of the page behind a browser request: its `Origin` header; for a cross-site load that
 * carries none (a `<script>` or an iframe: JSONP, htmlfile), the origin of its `Referer`, or `'null'` when
 * the page hid it. Undefined for a request no browser page made cross-site (a non-browser client, or an
 * old browser's same-site GET), which no origin rule can judge.
 */
export function pageOrigin(req: IncomingMessage): string | undefined {
  const origin = req.headers.origin;
  // A browser sends `scheme://host[:port]` or `null`; anything else (old Node clients send a bare
  // `host:port`) comes from a client no visitor's cookie rides on, as if it had sent none.
  if (origin !== undefined && origin !== '') return origin === 'null' || URL.canParse(origin) ? origin : undefined;
  const site = req.headers['sec-fetch-site'];
  if (site !== 'cross-site' && site !== 'same-site') return undefined;
  try {
    return new URL(req.headers.referer ?? '').origin;
  } catch {
    return 'null';
  }
}

/** Whether `origin` is the server's own (the Host the request was sent to): never a cross-site request. */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function matches(allowed: StaticOrigin | undefined, origin: string): boolean {
  if (allowed === undefined || allowed === true || allowed === '*') return true;
  if (allowed === false) return false;
  if (typeof allowed === 'string') return allowed === origin;
  if (allowed instanceof RegExp) return allowed.test(origin);
  return allowed.some((one) => (typeof one === 'string' ? one === origin : one.test(origin)));
}

/** Whether `cors.origin` restricts origins at all (`'*'`, `true` and no origin allow every one). */
export function restrictsOrigins(cors: CorsOptions | undefined): boolean {
  if (cors === undefined) return false;
  const origin = cors.origin;
  return !(origin === undefined || origin === true || origin === '*');
}

/**
 * The origin rule of `cors.origin` (a string, RegExp, list, boolean or the `cors` package's function), as
 * a check of handshakes and websocket upgrades: a browser page from an origin it does not allow is refused,
 * while the server's own origin and a request without one pass. Undefined when `cors.origin` allows any
 * origin. A function that fails refuses.
 */
export function corsOriginCheck(cors: CorsOptions | undefined): OriginCheck | undefined {
  if (cors === undefined || !restrictsOrigins(cors)) return undefined;
  const rule = cors.origin;
  return (req, done) => {
    const origin = pageOrigin(req);
    if (origin === undefined || sameOrigin(origin, req)) return done(true);
    if (typeof rule !== 'function') return done(matches(rule, origin));
    askOriginFunction(rule, req, origin, (err, allow) => done(err === null && allow !== undefined && matches(allow, origin)));
  };
}

type OriginFunction = Extract<CorsOrigin, (...args: never[]) => unknown>;
type OriginAnswer = [err: Error | null, allow: StaticOrigin | undefined];
/** An origin function's answer for one request, or the callers waiting for it. */
type Asked = { answer: OriginAnswer } | { waiting: Array<(answer: OriginAnswer) => void> };

const asked = new WeakMap<IncomingMessage, Map<string, Asked>>();

/**
 * Calls the cors origin function once per request and origin, however many checks ask (the CORS headers
 * and the origin policy): it may be a lookup the host pays for. A function that throws refuses.
 */
export function askOriginFunction(
  fn: OriginFunction,
  req: IncomingMessage,
  origin: string | undefined,
  done: (err: Error | null, allow: StaticOrigin | undefined) => void,
): void {
  let byOrigin = asked.get(req);
  if (byOrigin === undefined) asked.set(req, (byOrigin = new Map()));
  const key = origin ?? '';
  const known = byOrigin.get(key);
  if (known !== undefined && 'answer' in known) return done(...known.answer);
  if (known !== undefined) {
    known.waiting.push((answer) => done(...answer));
    return;
  }
  const entry = { waiting: [(answer: OriginAnswer) => done(...answer)] };
  byOrigin.set(key, entry);
  const settle = (answer: OriginAnswer): void => {
    if (byOrigin.get(key) !== entry) return;
    byOrigin.set(key, { answer });
    for (const callback of entry.waiting) callback(answer);
  };
  try {
    fn(origin, (err, allow) => settle([err ?? null, allow]));
  } catch (error) {
    settle([error instanceof Error ? error : new Error(String(error)), undefined]);
  }
}

/**
 * A list of origins (exact strings or RegExps) as a check: a request from a page whose origin is not listed
 * is refused; the server's own origin and a request without one pass, as under the cors rule.
 */
export function originListCheck(origins: ReadonlyArray<string | RegExp>): OriginCheck {
  return (req, done) => {
    const origin = pageOrigin(req);
    done(origin === undefined || sameOrigin(origin, req) || matches(origins, origin));
  };
}

/** Both checks must allow (either may be absent). */
export function bothChecks(a: OriginCheck | undefined, b: OriginCheck | undefined): OriginCheck | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (req, done) => a(req, (allowed) => (allowed ? b(req, done) : done(false)));
}
