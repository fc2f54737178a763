import type { ServerResponse } from 'node:http';
import { encodeLegacyPayload } from '../../protocol/legacy-packet.js';
import { DeadlineEntry, DeadlineQueue } from '../deadline-queue.js';
import { jsonpIndex, scriptString } from '../script-string.js';
import { answer } from './legacy-http.js';
import { LegacyTransport } from './legacy-transport.js';

const NOOP_TEXT = '8::';

/**
 * xhr-polling: a GET is held until there is something to send (at most the polling duration, then it is
 * answered `8::`), and answered with every queued packet in one body. Data comes in by POST, handled by
 * the engine. The transport object lives as long as the session; each GET attaches to it.
 */
export class XhrPollingTransport extends LegacyTransport {
  readonly name: 'xhr-polling' | 'jsonp-polling' = 'xhr-polling';
  readonly persistent = false;
  /** The held polls of every transport with this polling duration, each answered `8::` when due. */
  readonly #held: DeadlineQueue<XhrPollingTransport>;
  readonly #pollingDuration: number;
  readonly #entry = new DeadlineEntry<XhrPollingTransport>(this);
  #res: ServerResponse | undefined;
  #query: Record<string, string | undefined> = {};
  #closed = false;

  /** `held` is the engine's queue of held polls ({@link XhrPollingTransport.heldPolls}), all of `pollingDuration`. */
  constructor(pollingDuration: number, held: DeadlineQueue<XhrPollingTransport>) {
    super();
    this.#pollingDuration = pollingDuration;
    this.#held = held;
  }

  /** A queue for the held polls of one engine (one polling duration, so due in the order they came). */
  static heldPolls(): DeadlineQueue<XhrPollingTransport> {
    return new DeadlineQueue(XhrPollingTransport.#pollDue);
  }

  get writable(): boolean {
    return this.#res !== undefined;
  }

  /** A GET for this session arrived: it waits for packets. */
  poll(res: ServerResponse, query: Record<string, string | undefined>): void {
    if (this.#closed) {
      this.write(res, NOOP_TEXT, query);
      return;
    }
    // A new poll replaces one still held (the client gave up on it).
    if (this.#res !== undefined) this.send([NOOP_TEXT]);
    this.#res = res;
    this.#query = query;
    (res as Owned)[OWNER] = this;
    res.on('close', XhrPollingTransport.#onResponseClose);
    this.#held.add(this.#entry, performance.now() + this.#pollingDuration);
    this.sink.onDrain();
  }

  send(packets: readonly string[]): void {
    const res = this.#res;
    if (res === undefined) return;
    const query = this.#query;
    this.#release();
    this.write(res, encodeLegacyPayload(packets), query);
    this.sink.onIdle();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#res !== undefined) this.send([NOOP_TEXT]);
  }

  /** Answers one GET with a payload. */
  protected write(res: ServerResponse, payload: string, _query: Record<string, string | undefined>): void {
    answer(res, 200, 'text/plain; charset=UTF-8', payload);
  }

  #release(): void {
    this.#held.delete(this.#entry);
    this.#res = undefined;
  }

  /** The client went away from its poll: it must come back within the close timeout. */
  static #onResponseClose(this: ServerResponse): void {
    const transport = (this as Owned)[OWNER];
    if (transport.#res !== this) return;
    transport.#release();
    transport.sink.onIdle();
  }

  /** A poll held for the whole polling duration is answered `8::`. */
  static #pollDue(entry: DeadlineEntry<XhrPollingTransport>): void {
    entry.item.send([NOOP_TEXT]);
  }
}

/** Where a held response keeps its transport, so that one `close` listener serves every poll. */
const OWNER = Symbol('switchyard.legacyPoll');
type Owned = ServerResponse & { [OWNER]: XhrPollingTransport };

/**
 * jsonp-polling: as xhr-polling, but each GET is a script tag: the payload comes back as
 * `io.j[<i>]("<payload>");`, escaped for a script context, with `i` (digits only) from the query.
 */
export class JsonpPollingTransport extends XhrPollingTransport {
  override readonly name = 'jsonp-polling' as const;

  protected override write(res: ServerResponse, payload: string, query: Record<string, string | undefined>): void {
    answer(res, 200, 'text/javascript; charset=UTF-8', jsonpScript(query.i, payload));
  }
}

/** `io.j[<i>]("<text>");` with the index checked (0 when absent or not a number). */
export function jsonpScript(index: string | undefined, text: string): string {
  return `io.j[${jsonpIndex(index) ?? '0'}](${scriptString(text)});`;
}
