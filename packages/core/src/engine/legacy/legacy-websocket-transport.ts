import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import { slowConsumerError } from '../errors.js';
import { shutdownWebSocket } from '../websocket-transport.js';
import { LegacyTransport } from './legacy-transport.js';
import { textFrames } from '../text-frames.js';

const OPEN = 1; // WebSocket.OPEN

/** Where a websocket keeps its transport, so that one set of listeners serves every connection. */
const OWNER = Symbol('switchyard.legacyTransport');
type Owned = WebSocket & { [OWNER]: LegacyWebSocketTransport };

/**
 * websocket and flashsocket (the Flash bridge speaks the same websocket framing): one packet per
 * text frame, both ways.
 */
export class LegacyWebSocketTransport extends LegacyTransport {
  readonly name: 'websocket' | 'flashsocket';
  readonly persistent = true;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #maxWriteBuffer: number;
  #closed = false;
  /** Batches whose last frame has not been written yet. */
  #unsent = 0;
  /** The write callback of a batch, shared by every batch. */
  readonly #onBatchSent = (): void => {
    this.#unsent--;
  };

  /** `socket` is the connection `ws` took over: the transport writes its frames to it directly. */
  constructor(name: 'websocket' | 'flashsocket', ws: WebSocket, socket: Duplex, maxWriteBuffer: number) {
    super();
    this.name = name;
    this.#ws = ws;
    this.#socket = socket;
    this.#maxWriteBuffer = maxWriteBuffer;
    (ws as Owned)[OWNER] = this;
    ws.on('message', LegacyWebSocketTransport.#onMessage);
    ws.on('close', LegacyWebSocketTransport.#onClose);
    ws.on('error', LegacyWebSocketTransport.#onError);
  }

  get writable(): boolean {
    return !this.#closed && this.#ws.readyState === OPEN;
  }

  override get sending(): boolean {
    return this.#unsent > 0;
  }

  send(packets: readonly string[]): void {
    if (!this.writable || packets.length === 0) return;
    const ws = this.#ws;
    if (ws.bufferedAmount > this.#maxWriteBuffer) {
      // A client that stopped reading: drop it rather than buffer without bound.
      this.sink.onError('transport error', slowConsumerError(this.#maxWriteBuffer, 'read'));
      this.#terminate();
      return;
    }
    this.#unsent++;
    const socket = this.#socket;
    // The 0.9 server offers no extension, so a frame is final bytes, and ws queues nothing of its own
    // while open: the batch goes out as one write (ws would make a write of two buffers per frame).
    if (ws.extensions === '' && socket.writable) {
      socket.write(textFrames(packets), this.#onBatchSent);
      return;
    }
    const last = packets.length - 1;
    for (let i = 0; i < last; i++) ws.send(packets[i]!);
    ws.send(packets[last]!, this.#onBatchSent);
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

  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const transport = (this as Owned)[OWNER];
    // The 0.9 protocol is text only.
    if (isBinary) transport.#terminate();
    else transport.sink.onData(rawToString(data));
  }

  static #onClose(this: WebSocket): void {
    const transport = (this as Owned)[OWNER];
    transport.#closed = true;
    transport.sink.onClose();
  }

  static #onError(this: WebSocket): void {
    (this as Owned)[OWNER].#terminate();
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
