import type { RawData, WebSocket } from 'ws';
import { slowConsumerError } from '../errors.js';
import { shutdownWebSocket } from '../websocket-transport.js';
import { LegacyTransport } from './legacy-transport.js';

const OPEN = 1; // WebSocket.OPEN

/**
 * websocket and flashsocket (the Flash bridge speaks the same websocket framing): one packet per
 * text frame, both ways.
 */
export class LegacyWebSocketTransport extends LegacyTransport {
  readonly name: 'websocket' | 'flashsocket';
  readonly persistent = true;
  readonly #ws: WebSocket;
  readonly #maxWriteBuffer: number;
  #closed = false;
  /** Batches whose last frame ws has not finished writing yet. */
  #unsent = 0;
  /** The send callback of a batch's last frame, shared by every batch. */
  readonly #onBatchSent = (): void => {
    this.#unsent--;
  };

  constructor(name: 'websocket' | 'flashsocket', ws: WebSocket, maxWriteBuffer: number) {
    super();
    this.name = name;
    this.#ws = ws;
    this.#maxWriteBuffer = maxWriteBuffer;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        // The 0.9 protocol is text only.
        this.#terminate();
        return;
      }
      this.sink.onData(rawToString(data));
    });
    ws.on('close', () => {
      this.#closed = true;
      this.sink.onClose();
    });
    ws.on('error', () => this.#terminate());
  }

  get writable(): boolean {
    return !this.#closed && this.#ws.readyState === OPEN;
  }

  override get sending(): boolean {
    return this.#unsent > 0;
  }

  send(packets: readonly string[]): void {
    if (!this.writable) return;
    if (this.#ws.bufferedAmount > this.#maxWriteBuffer) {
      // A client that stopped reading: drop it rather than buffer without bound.
      this.sink.onError('transport error', slowConsumerError(this.#maxWriteBuffer, 'read'));
      this.#terminate();
      return;
    }
    const last = packets.length - 1;
    if (last < 0) return;
    this.#unsent++;
    for (let i = 0; i < last; i++) this.#ws.send(packets[i]!);
    this.#ws.send(packets[last]!, this.#onBatchSent);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.close();
  }

  /** Closes with 1001 and waits up to `graceMs` for the client's answer, then drops the connection. */
  shutdown(graceMs: number): Promise<void> {
    this.#closed = true;
    return shutdownWebSocket(this.#ws, graceMs);
  }

  #terminate(): void {
    this.#closed = true;
    this.#ws.terminate();
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
