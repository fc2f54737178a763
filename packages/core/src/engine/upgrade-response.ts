import { EventEmitter } from 'node:events';
import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, STATUS_CODES, validateHeaderName, validateHeaderValue } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * What the middlewares of `engine.use()` get as the response of a websocket upgrade, which has none: the
 * part of `http.ServerResponse` they use. Headers they set go out with the 101 answer; a middleware that
 * ends it (`res.statusCode = 401; res.end()`) refuses the upgrade with that status and body instead.
 */
export class UpgradeResponse extends EventEmitter {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  statusCode = 200;
  statusMessage = '';
  readonly #headers = new Map<string, [name: string, value: OutgoingHttpHeader]>();
  #body: Buffer[] = [];
  /** Set once the answer is decided: the upgrade went ahead, or a middleware ended the response. */
  #settled = false;
  #ended = false;

  constructor(req: IncomingMessage, socket: Duplex) {
    super();
    this.req = req;
    this.socket = socket;
  }

  /** Whether a middleware ended the response (the upgrade was refused with it). */
  get writableEnded(): boolean {
    return this.#ended;
  }

  get finished(): boolean {
    return this.#ended;
  }

  get headersSent(): boolean {
    return this.#settled;
  }

  /** Throws on a name or value that is not valid in a header, as http.ServerResponse does. */
  setHeader(name: string, value: OutgoingHttpHeader): this {
    validateHeaderName(name);
    validateHeaderValue(name, value as string); // lists are checked too
    this.#headers.set(name.toLowerCase(), [name, value]);
    return this;
  }

  appendHeader(name: string, value: OutgoingHttpHeader): this {
    const previous = this.getHeader(name);
    if (previous === undefined) return this.setHeader(name, value);
    const list = (v: OutgoingHttpHeader): string[] => (Array.isArray(v) ? v : [String(v)]);
    return this.setHeader(name, [...list(previous), ...list(value)]);
  }

  getHeader(name: string): OutgoingHttpHeader | undefined {
    return this.#headers.get(name.toLowerCase())?.[1];
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  removeHeader(name: string): void {
    this.#headers.delete(name.toLowerCase());
  }

  getHeaderNames(): string[] {
    return [...this.#headers.keys()];
  }

  /** The headers set so far, under the names they were set with. */
  getHeaders(): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = {};
    for (const [name, value] of this.#headers.values()) out[name] = value;
    return out;
  }

  writeHead(status?: number, reason?: string | OutgoingHttpHeaders, headers?: OutgoingHttpHeaders): this {
    if (typeof status === 'number') this.statusCode = status;
    if (typeof reason === 'string') this.statusMessage = reason;
    const extra = typeof reason === 'object' ? reason : headers;
    if (extra !== undefined) for (const name of Object.keys(extra)) this.setHeader(name, extra[name]!);
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    if (!this.#settled) this.#body.push(Buffer.from(chunk));
    return true;
  }

  /** Refuses the upgrade with what was set (unless it went ahead already). */
  end(chunk?: string | Uint8Array | (() => void), callback?: () => void): this {
    if (typeof chunk === 'function') callback = chunk;
    else if (chunk !== undefined) this.write(chunk);
    if (this.#settled) return this;
    this.#settled = true;
    this.#ended = true;
    const body = Buffer.concat(this.#body);
    this.#body = [];
    if (this.socket.writable) {
      const status = this.statusCode;
      const head = [`HTTP/1.1 ${status} ${this.statusMessage || (STATUS_CODES[status] ?? '')}`, ...headerLines(this.getHeaders(), ['connection', 'content-length'])];
      head.push('Connection: close', `Content-Length: ${body.length}`);
      this.socket.once('finish', () => this.socket.destroy());
      this.socket.end(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
    } else {
      this.socket.destroy();
    }
    this.emit('finish');
    callback?.();
    return this;
  }

  /**
   * The upgrade goes ahead: `writeHead()` runs once more, for middlewares that add their headers only
   * then (express-session), and the header lines to add to the 101 answer are returned.
   */
  accept(): OutgoingHttpHeaders {
    this.writeHead();
    this.#settled = true;
    this.#body = [];
    return this.getHeaders();
  }
}

/**
 * `Name: value` lines for a raw HTTP head, one per value of a list (Set-Cookie), skipping `omit`
 * (lowercase) and any header that is not valid (a listener's value with a line break never reaches the wire).
 */
export function headerLines(headers: OutgoingHttpHeaders, omit: readonly string[] = []): string[] {
  const lines: string[] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || omit.includes(name.toLowerCase()) || !isValidHeader(name, value)) continue;
    if (Array.isArray(value)) for (const item of value) lines.push(`${name}: ${item}`);
    else lines.push(`${name}: ${value}`);
  }
  return lines;
}

function isValidHeader(name: string, value: OutgoingHttpHeader): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value as string); // lists are checked too
    return true;
  } catch {
    return false;
  }
}
