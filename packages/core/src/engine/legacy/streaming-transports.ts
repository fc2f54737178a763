import type { ServerResponse } from 'node:http';
import { encodeLegacyPayload } from '../../protocol/legacy-packet.js';
import { scriptString } from '../script-string.js';
import { slowConsumerError } from '../errors.js';
import { LegacyTransport } from './legacy-transport.js';

/**
 * A transport that holds one HTTP response open and writes a chunk per payload (htmlfile,
 * xhr-multipart). Data comes in by POST to the same URL, handled by the engine.
 */
abstract class StreamingTransport extends LegacyTransport {
  readonly persistent = true;
  readonly #res: ServerResponse;
  readonly #maxWriteBuffer: number;
  #open = true;
  /** Chunks the response has not finished writing yet. */
  #unsent = 0;
  /** The callback of every chunk's write, shared by all of them. */
  readonly #onChunkSent = (): void => {
    this.#unsent--;
  };

  /** `maxWriteBuffer`: bytes that may wait for a client that does not read before it is dropped. */
  constructor(res: ServerResponse, maxWriteBuffer: number) {
    super();
    this.#res = res;
    this.#maxWriteBuffer = maxWriteBuffer;
    res.writeHead(200, { ...this.headers(), Connection: 'keep-alive', 'Cache-Control': 'no-store' });
    res.socket?.setNoDelay(true);
    res.write(this.preamble());
    res.once('close', () => {
      if (!this.#open) return;
      this.#open = false;
      this.sink.onClose();
    });
  }

  get writable(): boolean {
    return this.#open;
  }

  override get sending(): boolean {
    return this.#unsent > 0;
  }

  send(packets: readonly string[]): void {
    if (!this.#open) return;
    const res = this.#res;
    if (res.writableLength > this.#maxWriteBuffer) {
      // A client that stopped reading: drop it rather than buffer without bound.
      this.#open = false;
      this.sink.onError('transport error', slowConsumerError(this.#maxWriteBuffer, 'read'));
      res.destroy();
      return;
    }
    this.#unsent++;
    res.write(this.chunk(encodeLegacyPayload(packets)), this.#onChunkSent);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#res.end();
  }

  protected abstract headers(): Record<string, string>;
  protected abstract preamble(): string;
  protected abstract chunk(payload: string): string;
}

/**
 * htmlfile (Internet Explorer's "forever iframe"): one chunked text/html document that defines `_`,
 * pads itself so that the browser starts running scripts at once, then adds one
 * `<script>_("<payload>");</script>` per payload, escaped for a script context.
 */
export class HtmlFileTransport extends StreamingTransport {
  readonly name = 'htmlfile' as const;

  protected headers(): Record<string, string> {
    return { 'Content-Type': 'text/html; charset=UTF-8' };
  }

  protected preamble(): string {
    return `<html><body><script>var _ = function (msg) { parent.s._(msg, document); };</script>${' '.repeat(HTMLFILE_PADDING)}`;
  }

  protected chunk(payload: string): string {
    return `<script>_(${scriptString(payload)});</script>`;
  }
}

/** Bytes of padding after the htmlfile preamble: Internet Explorer renders nothing before 256 bytes. */
export const HTMLFILE_PADDING = 256;

/** xhr-multipart: one `multipart/x-mixed-replace` response, a text/plain part per payload. */
export class XhrMultipartTransport extends StreamingTransport {
  readonly name = 'xhr-multipart' as const;

  protected headers(): Record<string, string> {
    return { 'Content-Type': 'multipart/x-mixed-replace; boundary="socketio"' };
  }

  protected preamble(): string {
    return '--socketio\r\n';
  }

  protected chunk(payload: string): string {
    return `Content-Type: text/plain; charset=UTF-8\r\n\r\n${payload}\r\n--socketio\r\n`;
  }
}
