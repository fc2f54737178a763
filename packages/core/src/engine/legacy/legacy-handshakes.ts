import type { IncomingMessage } from 'node:http';

export interface LegacyHandshake {
  request: IncomingMessage;
  /** The peer's address, read while the handshake request is connected. */
  address: string;
}

interface Entry extends LegacyHandshake {
  timer: NodeJS.Timeout;
}

/**
 * Handshakes that have not opened a transport yet. Each is dropped after `timeout` milliseconds:
 * a client that handshakes and never connects leaves nothing behind.
 */
export class LegacyHandshakes {
  readonly #timeout: number;
  readonly #entries = new Map<string, Entry>();

  constructor(timeout: number) {
    this.#timeout = timeout;
  }

  get size(): number {
    return this.#entries.size;
  }

  add(id: string, request: IncomingMessage): void {
    const timer = setTimeout(() => this.#entries.delete(id), this.#timeout);
    timer.unref();
    this.#entries.set(id, { request, address: request.socket.remoteAddress ?? '', timer });
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Uses up a handshake: it is returned once, then forgotten. */
  take(id: string): LegacyHandshake | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.delete(id);
    return entry;
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.#entries.delete(id);
  }

  clear(): void {
    for (const entry of this.#entries.values()) clearTimeout(entry.timer);
    this.#entries.clear();
  }
}
