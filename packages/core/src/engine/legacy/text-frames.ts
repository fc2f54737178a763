/** FIN and the text opcode: a whole text message in one frame. */
const FIN_TEXT = 0x81;

/**
 * The last text framed alone, and its frame: a broadcast frames its text once for every recipient. Only
 * frames up to this size are kept, so that a large message does not stay in memory after it was sent.
 */
const MAX_KEPT = 64 * 1024;
let lastText: string | undefined;
let lastFrame: Buffer | undefined;

/**
 * Unmasked, uncompressed websocket text frames (as a server sends them, RFC 6455 5.2) for `texts`, one
 * frame each, in one buffer. Nothing writes to the buffer afterwards: the same one may go to many sockets.
 */
export function textFrames(texts: readonly string[]): Buffer {
  if (texts.length === 1) {
    const text = texts[0]!;
    if (text === lastText) return lastFrame!;
    const frame = frameAll(texts);
    if (frame.length <= MAX_KEPT) {
      lastText = text;
      lastFrame = frame;
    }
    return frame;
  }
  return frameAll(texts);
}

function frameAll(texts: readonly string[]): Buffer {
  let total = 0;
  const sizes = new Array<number>(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const size = Buffer.byteLength(texts[i]!);
    sizes[i] = size;
    total += headerSize(size) + size;
  }
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const size = sizes[i]!;
    out[at] = FIN_TEXT;
    if (size < 126) {
      out[at + 1] = size;
      at += 2;
    } else if (size < 0x10000) {
      out[at + 1] = 126;
      out.writeUInt16BE(size, at + 2);
      at += 4;
    } else {
      out[at + 1] = 127;
      out.writeUInt32BE(Math.floor(size / 0x100000000), at + 2);
      out.writeUInt32BE(size >>> 0, at + 6);
      at += 10;
    }
    at += out.write(texts[i]!, at, size, 'utf8');
  }
  return out;
}

function headerSize(payload: number): number {
  return payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
}
