import type { RawData, WebSocket } from 'ws';
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

  send(packets: readonly string[]): void {
    if (!this.writable) return;
    if (this.#ws.bufferedAmount > this.#maxWriteBuffer) {
      // A client that stopped reading: drop it rather than buffer without bound.
      this.#terminate();
      return;
    }
    for (const packet of packets) this.#ws.send(packet);
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
