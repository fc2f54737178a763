import type { ForwardMessage } from './forward-messages.js';

/** A piece of an answer or of a tunnel's stream, on its way to another node. */
export interface OutboundPart {
  status?: number;
  headers?: string[];
  chunk?: Buffer;
  end?: boolean;
}

interface Outbound {
  kind: 'response' | 'data';
  target: string;
  chunks: Buffer[];
  end: boolean;
  status?: number;
  headers?: string[];
}

/**
 * Gathers what is written for each forwarded request or tunnel during one turn of the event loop, and
 * sends it as one message per request: a polling answer (head, body, end) usually travels whole.
 */
export class OutboundQueue {
  readonly #send: (target: string, message: ForwardMessage) => void;
  readonly #pending = new Map<string, Outbound>();
  #scheduled = false;

  constructor(send: (target: string, message: ForwardMessage) => void) {
    this.#send = send;
  }

  add(id: string, target: string, kind: 'response' | 'data', part: OutboundPart): void {
    let out = this.#pending.get(id);
    if (out === undefined) this.#pending.set(id, (out = { kind, target, chunks: [], end: false }));
    if (part.status !== undefined) out.status = part.status;
    if (part.headers !== undefined) out.headers = part.headers;
    if (part.chunk !== undefined) out.chunks.push(part.chunk);
    if (part.end === true) out.end = true;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    for (const [id, out] of this.#pending) {
      if (out.kind === 'data') {
        this.#send(out.target, { t: 'data', id, chunks: out.chunks, end: out.end });
        continue;
      }
      const message: ForwardMessage = { t: 'response', id, chunks: out.chunks, end: out.end };
      if (out.status !== undefined) message.status = out.status;
      if (out.headers !== undefined) message.headers = out.headers;
      this.#send(out.target, message);
    }
    this.#pending.clear();
  };
}
