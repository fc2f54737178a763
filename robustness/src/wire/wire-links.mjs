// The two ways a wire client carries engine packets: a websocket (one packet per frame) or HTTP long
// polling (a held GET for what the server sends, one POST at a time for what the client sends). Both call
// `onPackets(strings)` and, once, `onClose(reason)`.
import http from 'node:http';
import WebSocket from 'ws';
import { decodePayload, encodePayload } from './wire-codec.mjs';

/** A keep-alive agent for handshakes and one-off requests in one process (unlimited sockets). */
export const pollingAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** TCP connections the requests of this process opened (a request that found no idle keep-alive socket). */
export const connectionStats = { opened: 0 };

/**
 * One HTTP request on 127.0.0.1; resolves `{ status, body }` (body as a UTF-8 string). Never rejects: a
 * network failure resolves with status 0 and the error code as body. `signal` aborts it. A request sent on
 * a kept-alive socket that the server closed at the same moment (its keepAliveTimeout) is sent again (up to
 * three times, as the next free socket may be as stale), as browsers do: the server never saw it.
 */
export function request(port, path, options = {}, retried = 0) {
  const { method = 'GET', body, headers = {}, agent = pollingAgent, signal } = options;
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers, signal }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    req.once('socket', () => {
      if (!req.reusedSocket) connectionStats.opened++;
    });
    req.on('error', (err) => {
      if (err.code === 'ECONNRESET' && req.reusedSocket && retried < 3) resolve(request(port, path, options, retried + 1));
      else resolve({ status: 0, body: String(err.code ?? err.message) });
    });
    req.end(body);
  });
}

export class WebSocketLink {
  #ws;
  #closed = false;
  #early = [];
  #onPackets = (packets) => this.#early.push(...packets);
  #onClose = () => {};
  /** Resolves once the websocket is open; rejects when it fails before. */
  opened;

  /** Opens `ws://127.0.0.1:<port><path>`; frames that arrive before `start` are kept for it. */
  constructor(port, path) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    this.#ws = ws;
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    this.opened.catch(() => {});
    ws.on('message', (data, isBinary) => this.#onPackets([isBinary ? data : data.toString('utf8')]));
    ws.on('close', (code) => this.#end(`websocket closed (${code})`));
    ws.on('error', (err) => this.#end(`websocket error (${err.message})`));
  }

  /** Hands every received packet (strings, Buffers for binary frames) to `onPackets`, the end to `onClose`. */
  start(onPackets, onClose) {
    this.#onPackets = onPackets;
    this.#onClose = onClose;
    if (this.#early.length > 0) onPackets(this.#early.splice(0));
  }

  send(packets) {
    if (this.#closed) return;
    for (const p of packets) this.#ws.send(p);
  }

  /** One raw frame, text (string) or binary (Buffer), as it is. */
  sendRaw(data) {
    if (!this.#closed && this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data);
  }

  close() {
    this.#closed = true;
    this.#ws.terminate();
  }

  #end(reason) {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(reason);
  }
}

/**
 * A polling link keeps its own connections, as a browser tab does: its held GET and its POST each stay on
 * one kept-alive socket. (One agent shared by hundreds of links in a process kept at most 256 idle sockets
 * and handed a just-freed GET socket to another link's POST, so links kept opening new connections; a busy
 * Node server accepts one connection per event-loop iteration, and those requests waited seconds in the
 * kernel's accept queue while the session's heartbeat ran out.)
 */
export class PollingLink {
  #port;
  #path;
  #generation;
  #agent = new http.Agent({ keepAlive: true });
  #queue = [];
  #posting = false;
  #closed = false;
  #abort = new AbortController();
  #onPackets = () => {};
  #onClose = () => {};

  /** `path` is the polling URL with the session id; '&t=' is appended per request to defeat caches. */
  constructor(port, path, generation) {
    this.#port = port;
    this.#path = path;
    this.#generation = generation;
  }

  /** Starts the GET loop: packets go to `onPackets`, the end of the session to `onClose`. */
  start(onPackets, onClose) {
    this.#onPackets = onPackets;
    this.#onClose = onClose;
    this.#poll();
  }

  get path() {
    return this.#path;
  }

  send(packets) {
    if (this.#closed) return;
    this.#queue.push(...packets);
    this.#flush();
  }

  /** Resolves once every packet given to `send` has been posted (or the link has closed). */
  async drained() {
    while (!this.#closed && (this.#posting || this.#queue.length > 0)) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** One POST with `body` as it is (a fuzz input); resolves `{ status, body }` as `request` does. */
  postRaw(body, headers = {}) {
    if (this.#closed) return Promise.resolve({ status: 0, body: 'link closed' });
    return request(this.#port, this.#url(), { method: 'POST', body, headers, agent: this.#agent, signal: this.#abort.signal });
  }

  close() {
    this.#closed = true;
    this.#abort.abort();
    this.#agent.destroy();
  }

  #url() {
    return `${this.#path}${this.#path.includes('?') ? '&' : '?'}t=${Date.now().toString(36)}`;
  }

  async #poll() {
    while (!this.#closed) {
      const res = await request(this.#port, this.#url(), { agent: this.#agent, signal: this.#abort.signal });
      if (this.#closed) return;
      if (res.status !== 200) return this.#end(`poll answered ${res.status} ${res.body.slice(0, 80)}`);
      let packets;
      try {
        packets = decodePayload(this.#generation, res.body);
      } catch (err) {
        return this.#end(`poll body did not parse: ${err.message}`);
      }
      this.#onPackets(packets);
    }
  }

  async #flush() {
    if (this.#posting || this.#queue.length === 0 || this.#closed) return;
    this.#posting = true;
    const packets = this.#queue.splice(0);
    const body = encodePayload(this.#generation, packets);
    const res = await request(this.#port, this.#url(), {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      agent: this.#agent,
      signal: this.#abort.signal,
    });
    this.#posting = false;
    if (this.#closed) return;
    if (res.status !== 200) return this.#end(`post answered ${res.status} ${res.body.slice(0, 80)}`);
    this.#flush();
  }

  #end(reason) {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    this.#agent.destroy();
    this.#onClose(reason);
  }
}
