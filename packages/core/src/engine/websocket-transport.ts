import createDebug from 'debug';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { ProtocolError } from '../protocol/errors.js';
import { slowConsumerError } from './errors.js';
import { compactListenerTable } from './listener-table.js';
import { PreparedMessage } from './prepared-message.js';
import { type OutgoingItem, Transport, type TransportSink } from './transport.js';
import { EIO4_WEBSOCKET_FRAMING, type WebSocketFraming } from './websocket-framing.js';
import { textFrame } from './text-frames.js';

const log = createDebug('switchyard:engine:websocket');

const OPEN = 1; // WebSocket.OPEN
const CLOSED = 3; // WebSocket.CLOSED
/** Close code sent to clients whose websocket is still open when the server shuts down. */
const GOING_AWAY = 1001;
/** Unsent bytes past which a connection counts as congested. */
const CONGESTED_BYTES = 1 << 20;
/** ws's send options: ws deflates a message when permessage-deflate is on, unless it was sent with compress(false). */
const DEFLATABLE = {} as const;
const UNCOMPRESSED = { compress: false } as const;

/** Where a websocket keeps its transport, so that one shared listener serves every connection. */
const OWNER = Symbol('switchyard.transport');
type Owned = WebSocket & { [OWNER]: WebSocketTransport };

/** A websocket (the `ws` package): one packet per frame, framed as the session's generation frames them. */
export class WebSocketTransport extends Transport {
  readonly name = 'websocket' as const;
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #maxWriteBuffer: number;
  /** Every transport whose websocket is not closed yet; this one leaves it when its websocket closes. */
  readonly #open: Set<WebSocketTransport>;
  readonly #framing: WebSocketFraming;
  #closed = false;
  /** Batches written whose last frame the socket has not finished writing yet (ws's send callback). */
  #unsent = 0;
  /**
   * The send callback of a batch's last frame: shared by the batches on their way out together, and let
   * go once none is (an idle connection keeps no closure).
   */
  #onBatchSent: (() => void) | undefined;

  constructor(sink: TransportSink, ws: WebSocket, socket: Duplex, open: Set<WebSocketTransport>, maxWriteBuffer: number, framing = EIO4_WEBSOCKET_FRAMING) {
    super(sink);
    this.#framing = framing;
    this.#maxWriteBuffer = maxWriteBuffer;
    this.#ws = ws;
    this.#socket = socket;
    this.#open = open;
    open.add(this);
    (ws as Owned)[OWNER] = this;
    compactListenerTable(ws);
    ws.on('message', WebSocketTransport.#onMessage);
    ws.on('close', WebSocketTransport.#onClose);
    ws.on('error', WebSocketTransport.#onError);
  }

  get writable(): boolean {
    return !this.#closed && this.#ws.readyState === OPEN;
  }

  override get congested(): boolean {
    return this.#socket.writableLength > CONGESTED_BYTES;
  }

  /** Whether the last batch is still being written: engine.io's websocket is not writable until then. */
  override get sending(): boolean {
    return this.#unsent > 0;
  }

  send(packets: readonly OutgoingItem[]): void {
    if (packets.length === 0) return;
    const ws = this.#ws;
    const socket = this.#socket;
    // Without permessage-deflate a prepared frame is final bytes: write them as they are, the same
    // buffers for every recipient of a broadcast. ws has nothing queued then, so order is kept.
    const raw = ws.readyState === OPEN && ws.extensions === '' && socket.writable;
    const backlog = socket.writableLength;
    const last = packets.length - 1;
    const framing = this.#framing;
    this.#unsent++;
    this.#onBatchSent ??= () => {
      if (--this.#unsent === 0) this.#onBatchSent = undefined;
    };
    socket.cork(); // one write for the whole batch
    for (let i = 0; i <= last; i++) {
      const item = packets[i]!;
      // Only the batch's last write reports back (when it has left): no callback per packet.
      const sent = i === last ? this.#onBatchSent : undefined;
      if (!(item instanceof PreparedMessage)) {
        ws.send(framing.encode(item), sent);
      } else if (raw && item.shared) {
        const frame = framing.frame(item);
        const end = frame.length - 1;
        for (let j = 0; j < end; j++) socket.write(frame[j]!);
        socket.write(frame[end]!, sent);
      } else if (typeof item.data === 'string') {
        // One session's text message (an ack, an emit to one socket): framed here into one buffer and
        // written as is, rather than through ws as a header and a string the socket gathers into a writev.
        if (raw) socket.write(textFrame(item.pollingText), sent);
        else ws.send(item.pollingText, item.compress ? DEFLATABLE : UNCOMPRESSED, sent);
      } else {
        ws.send(framing.binary(item.data, item), item.compress ? DEFLATABLE : UNCOMPRESSED, sent);
      }
    }
    socket.uncork();
    // Judged on what was still waiting from earlier writes: one large message alone never counts.
    if (backlog > this.#maxWriteBuffer) {
      if (log.enabled) log('slow consumer: %d bytes unsent, past maxWriteBuffer', backlog);
      this.sink.onError('transport error', slowConsumerError(this.#maxWriteBuffer, 'read'));
      // A closing handshake would queue behind everything it did not read: drop the connection now.
      this.#closed = true;
      this.#ws.terminate();
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.close();
  }

  /**
   * Resolves once the websocket is closed: one still open is closed with 1001 (going away), and one that
   * has not finished its closing handshake after `graceMs` is dropped.
   */
  shutdown(graceMs: number): Promise<void> {
    return shutdownWebSocket(this.#ws, graceMs);
  }

  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const transport = (this as Owned)[OWNER];
    let packet: EnginePacket;
    try {
      const frame = isBinary ? toBuffer(data) : data.toString();
      packet = transport.#framing.decode(frame);
    } catch (err) {
      if (log.enabled) log('parse error: %s', (err as Error).message);
      transport.sink.onError('parse error', err instanceof ProtocolError ? err : undefined);
      return;
    }
    transport.sink.onPacket(packet);
  }

  static #onClose(this: WebSocket, code: number): void {
    const transport = (this as Owned)[OWNER];
    if (log.enabled) log('closed with code %d', code);
    transport.#closed = true;
    transport.#open.delete(transport);
    transport.sink.onClose();
  }

  static #onError(this: WebSocket, err: Error): void {
    if (log.enabled) log('error: %s', err.message);
    (this as Owned)[OWNER].sink.onError('transport error', err);
  }
}

/**
 * Resolves once `ws` is closed: one still open is closed with 1001 (going away), and one that has not
 * finished its closing handshake after `graceMs` is dropped. Shared by the websockets of every generation.
 */
export function shutdownWebSocket(ws: WebSocket, graceMs: number): Promise<void> {
  if (ws.readyState === CLOSED) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => ws.terminate(), graceMs);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === OPEN) ws.close(GOING_AWAY);
  });
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
