import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { decodeEio4Packet, encodeEio4Packet } from '../protocol/eio4.js';
import { ProtocolError } from '../protocol/errors.js';
import { Transport, type TransportSink } from './transport.js';

const OPEN = 1; // WebSocket.OPEN

/** A websocket (the `ws` package): one packet per frame, binary messages as raw binary frames. */
export class WebSocketTransport extends Transport {
  readonly name = 'websocket' as const;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  #closed = false;

  constructor(sink: TransportSink, ws: WebSocket, socket: Duplex) {
    super(sink);
    this.#ws = ws;
    this.#socket = socket;
    ws.on('message', this.#onMessage);
    ws.once('close', this.#onClose);
    ws.on('error', this.#onError);
  }

  get writable(): boolean {
    return !this.#closed && this.#ws.readyState === OPEN;
  }

  send(packets: readonly EnginePacket[]): void {
    const ws = this.#ws;
    if (packets.length === 1) {
      ws.send(encodeEio4Packet(packets[0]!));
      return;
    }
    // One write for the whole batch.
    const socket = this.#socket;
    socket.cork();
    for (let i = 0; i < packets.length; i++) ws.send(encodeEio4Packet(packets[i]!));
    socket.uncork();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.close();
  }

  /** Drops the connection at once, without the closing handshake. */
  terminate(): void {
    this.#closed = true;
    this.#ws.terminate();
  }

  /** Resolves once the underlying connection is gone. */
  get done(): Promise<void> {
    if (this.#ws.readyState === 3) return Promise.resolve();
    return new Promise((resolve) => this.#ws.once('close', () => resolve()));
  }

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    let packet: EnginePacket;
    try {
      packet = decodeEio4Packet(isBinary ? toBuffer(data) : data.toString());
    } catch (err) {
      this.sink.onError('parse error', err instanceof ProtocolError ? err : undefined);
      return;
    }
    this.sink.onPacket(packet);
  };

  readonly #onClose = (): void => {
    this.#closed = true;
    this.sink.onClose();
  };

  readonly #onError = (err: Error): void => {
    this.sink.onError('transport error', err);
  };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
