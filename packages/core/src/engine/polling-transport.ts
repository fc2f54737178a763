import createDebug from 'debug';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDeflate, createGzip } from 'node:zlib';
import type { EnginePacket } from '../protocol/engine-packet.js';
import { ProtocolError } from '../protocol/errors.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { writeEngineError } from './http-answers.js';
import { EngineHttpError } from './errors.js';
import { isBodyTooLarge, readBody } from './read-body.js';
import { PreparedMessage } from './prepared-message.js';
import { EIO4_POLLING_FORMAT, type PollingBody, type PollingFormat } from './polling-format.js';
import { CLOSE_PAYLOAD, type CloseReason, NOOP_PAYLOAD, type OutgoingItem, Transport, type TransportSink } from './transport.js';

const log = createDebug('switchyard:engine:polling');

export interface PollingTransportOptions {
  maxHttpBufferSize: number;
  /** Compress GET bodies at least this large, or never (`false`). */
  compressionThreshold: number | false;
  /** How bodies are framed. Default: Engine.IO v4. */
  format?: PollingFormat;
}


/**
 * HTTP long-polling: a GET is held until there is something to send and then answered with every
 * queued packet at once; a POST carries packets from the client and is answered `ok`.
 */
export class PollingTransport extends Transport {
  readonly name = 'polling' as const;
  readonly #options: PollingTransportOptions;
  readonly #format: PollingFormat;
  #pendingGet: ServerResponse | null = null;
  #acceptEncoding: string | undefined;
  #postInFlight = false;
  #closed = false;

  constructor(sink: TransportSink, options: PollingTransportOptions) {
    super(sink);
    this.#options = options;
    this.#format = options.format ?? EIO4_POLLING_FORMAT;
  }

  get writable(): boolean {
    return this.#pendingGet !== null;
  }

  /** Ends the session for a broken request (debug logs it under `switchyard:engine:polling`). */
  #fail(reason: CloseReason, err: Error | undefined): void {
    if (log.enabled) log('%s: %s', reason, err?.message ?? 'no detail');
    this.sink.onError(reason, err);
  }

  /** Handles a GET or POST that carries this session's id. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.#closed) {
      writeEngineError(res, EngineHttpError.UNKNOWN_SID);
      return;
    }
    if (req.method === 'GET') this.#onGet(req, res);
    else if (req.method === 'POST') this.#onPost(req, res);
    else writeEngineError(res, EngineHttpError.BAD_REQUEST);
  }

  /** Answers the handshake GET with the open packet alone. */
  respondOpen(req: IncomingMessage, res: ServerResponse, openPacket: EnginePacket): void {
    writeBody(res, this.#format.encode([openPacket]), req.headers['accept-encoding'], this.#options.compressionThreshold);
  }

  send(packets: readonly OutgoingItem[]): void {
    const res = this.#pendingGet;
    if (res === null) return;
    this.#pendingGet = null;
    // As engine.io: the answer is compressed unless every message in it was sent with compress(false).
    const threshold = packets.some(wantsCompression) ? this.#options.compressionThreshold : false;
    writeBody(res, this.#format.encode(packets), this.#acceptEncoding, threshold);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pendingGet !== null) this.send(NOOP_PAYLOAD);
  }

  #onGet(req: IncomingMessage, res: ServerResponse): void {
    if (this.#pendingGet !== null) {
      // Two overlapping GETs: the first learns the session is over, the second is refused.
      this.send(CLOSE_PAYLOAD);
      writeEngineError(res, EngineHttpError.BAD_REQUEST);
      this.#fail('transport error', new EngineError(EngineErrorCode.TRANSPORT_VIOLATION, 'overlapping poll requests'));
      return;
    }
    this.#pendingGet = res;
    this.#acceptEncoding = req.headers['accept-encoding'];
    res.once('close', () => {
      if (this.#pendingGet === res) {
        this.#pendingGet = null;
        this.#fail('transport error', new EngineError(EngineErrorCode.TRANSPORT_VIOLATION, 'poll request closed before its answer'));
      }
    });
    this.sink.onDrain();
  }

  #onPost(req: IncomingMessage, res: ServerResponse): void {
    if (this.#postInFlight) {
      writeEngineError(res, EngineHttpError.BAD_REQUEST);
      this.#fail('transport error', new EngineError(EngineErrorCode.TRANSPORT_VIOLATION, 'overlapping data requests'));
      return;
    }
    const binary = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase() === 'application/octet-stream';
    if (binary && !this.#format.binaryBodies) {
      // Engine.IO v4 and JSONP clients always post text.
      writeEngineError(res, EngineHttpError.BAD_REQUEST);
      this.#fail('transport error', new EngineError(EngineErrorCode.TRANSPORT_VIOLATION, 'binary body from a text-only client'));
      return;
    }
    this.#postInFlight = true;
    readBody(req, this.#options.maxHttpBufferSize).then(
      (body) => {
        this.#postInFlight = false;
        this.#onBody(res, body, binary);
      },
      (err: unknown) => {
        this.#postInFlight = false;
        if (isBodyTooLarge(err)) {
          res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' }).end('Payload Too Large');
          this.#fail('transport error', err);
        } else {
          // The client went away in the middle of its body: engine.io ends the session too.
          writeEngineError(res, EngineHttpError.BAD_REQUEST);
          this.#fail('transport error', new EngineError(EngineErrorCode.TRANSPORT_VIOLATION, 'data request closed before its body'));
        }
      },
    );
  }

  #onBody(res: ServerResponse, body: Buffer, binary: boolean): void {
    let packets: EnginePacket[];
    try {
      packets = this.#format.decode(body, binary);
    } catch (err) {
      writeEngineError(res, EngineHttpError.BAD_REQUEST);
      this.#fail('parse error', err instanceof ProtocolError ? err : undefined);
      return;
    }
    // Answer first: a handler that closes the session must not leave this request hanging.
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 2 }).end('ok');
    for (const packet of packets) {
      if (this.#closed) break;
      this.sink.onPacket(packet);
    }
  }
}

function wantsCompression(item: OutgoingItem): boolean {
  return !(item instanceof PreparedMessage) || item.compress;
}

function writeBody(res: ServerResponse, { body, contentType }: PollingBody, acceptEncoding: string | undefined, threshold: number | false): void {
  const length = Buffer.byteLength(body);
  const encoding = threshold !== false && length >= threshold ? pickEncoding(acceptEncoding) : undefined;
  if (encoding === undefined) {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': length }).end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Encoding': encoding, Vary: 'Accept-Encoding' });
  const stream = encoding === 'gzip' ? createGzip() : createDeflate();
  stream.pipe(res);
  stream.end(body);
}

function pickEncoding(acceptEncoding: string | undefined): 'gzip' | 'deflate' | undefined {
  if (acceptEncoding === undefined) return undefined;
  if (/\bgzip\b/.test(acceptEncoding)) return 'gzip';
  if (/\bdeflate\b/.test(acceptEncoding)) return 'deflate';
  return undefined;
}
