import { randomBytes } from 'node:crypto';
import { RealtimeError, RealtimeErrorCode } from '@switchyard/core';

interface Pending {
  expected: number;
  received: unknown[];
  resolve: (values: unknown[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Requests to the other nodes (fetchSockets, serverSideEmitWithAck), each waiting for one answer per node. */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>();

  static newId(): string {
    return randomBytes(6).toString('base64url');
  }

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

  close(): void {
    for (const request of this.#pending.values()) {
      clearTimeout(request.timer);
      request.reject(new RealtimeError(RealtimeErrorCode.ADAPTER_CLOSED, 'adapter closed'));
    }
    this.#pending.clear();
  }
}
