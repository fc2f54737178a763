import type { IncomingMessage } from 'node:http';
import { EngineError, EngineErrorCode } from './errors.js';

/**
 * Reads a request body, refusing more than `limit` bytes: rejects with an {@link EngineError}
 * `ERR_ENGINE_PAYLOAD_TOO_LARGE` as soon as the declared or received size passes it (the rest of the
 * body is drained unread), or with the request's own error when the client aborts.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): void => {
      req.resume();
      reject(new EngineError(EngineErrorCode.PAYLOAD_TOO_LARGE, `body larger than maxHttpBufferSize (${limit} bytes)`));
    };
    if (Number(req.headers['content-length']) > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/** Whether `err` is the rejection of {@link readBody} for a body over the limit. */
export function isBodyTooLarge(err: unknown): err is EngineError {
  return err instanceof EngineError && err.code === EngineErrorCode.PAYLOAD_TOO_LARGE;
}
