import { randomBytes } from 'node:crypto';
import { RealtimeError, RealtimeErrorCode } from './errors.js';

interface Pending {
  expected: number;
  received: unknown[];
  resolve: (values: unknown[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * What a cluster adapter keeps of its requests to the other nodes (fetchSockets, serverSideEmitWithAck)
 * between sending one and its last answer: each waits for one answer per node, rejects with
 * `ERR_REALTIME_CLUSTER_TIMEOUT` when they do not all come in time, and with `ERR_REALTIME_ADAPTER_CLOSED`
 * when the adapter closes first.
 */
export class ClusterRequests {
  readonly #pending = new Map<string, Pending>();

  /** Waits for `expected` answers to `requestId` (sent by `send`), for at most `timeout` ms. */
  wait(requestId: string, expected: number, timeout: number, send: () => void): Promise<unknown[]> {
    if (expected <= 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const received = this.#pending.get(requestId)?.received.length ?? 0;
        this.#pending.delete(requestId);
        reject(new RealtimeError(RealtimeErrorCode.CLUSTER_TIMEOUT, `timeout reached: only ${received} responses received out of ${expected}`));
      }, timeout);
      this.#pending.set(requestId, { expected, received: [], resolve, reject, timer });
      send();
    });
  }

  /** Whether `requestId` still waits for answers. */
  has(requestId: string): boolean {
    return this.#pending.has(requestId);
  }

  /** One node's answer. */
  collect(requestId: string, value: unknown): void {
    const request = this.#pending.get(requestId);
    if (request === undefined) return;
    request.received.push(value);
    if (request.received.length < request.expected) return;
    clearTimeout(request.timer);
    this.#pending.delete(requestId);
    request.resolve(request.received);
  }

  /** Rejects every request still waiting. */
  close(): void {
    for (const request of this.#pending.values()) {
      clearTimeout(request.timer);
      request.reject(new RealtimeError(RealtimeErrorCode.ADAPTER_CLOSED, 'adapter closed'));
    }
    this.#pending.clear();
  }
}

/**
 * A new id for a request to the other nodes. socket.io's Redis adapter (whose nodes answer ours) takes
 * any string and only echoes it back, so the id has no format to follow there.
 */
export function newRequestId(): string {
  return randomBytes(8).toString('hex');
}
