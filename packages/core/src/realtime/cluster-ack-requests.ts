/** A broadcast with acks, while the other nodes may still count its clients and relay their acks. */
interface AckRequest {
  onCount: (clients: number) => void;
  onAck: (args: unknown[]) => void;
  timer: NodeJS.Timeout;
}

/**
 * What a cluster adapter keeps of its broadcasts with acks to the other nodes: each node answers once with
 * the number of its clients the broadcast reached, then once per client ack; both go to the callbacks the
 * broadcast was made with (the broadcast operator counts and gathers them against its own timeout). A
 * request is forgotten a second after that timeout, so late answers are dropped quietly, or when the
 * adapter closes.
 */
export class ClusterAckRequests {
  readonly #pending = new Map<string, AckRequest>();

  /** Hands the answers to `requestId` to `onCount` and `onAck` for `timeout` ms and a second more. */
  add(requestId: string, timeout: number, onCount: (clients: number) => void, onAck: (args: unknown[]) => void): void {
    const timer = setTimeout(() => this.#pending.delete(requestId), timeout + 1000);
    timer.unref();
    this.#pending.set(requestId, { onCount, onAck, timer });
  }

  /** Whether `requestId` is one of this node's broadcasts with acks, still listening. */
  has(requestId: string): boolean {
    return this.#pending.has(requestId);
  }

  /** One node's count of the clients the broadcast reached. */
  count(requestId: string, clients: number): void {
    this.#pending.get(requestId)?.onCount(clients);
  }

  /** One client's ack. */
  ack(requestId: string, args: unknown[]): void {
    this.#pending.get(requestId)?.onAck(args);
  }

  /** Forgets every request. */
  close(): void {
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }
}
