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
    const frame = textFrame(text);
    if (frame.length <= MAX_KEPT) {
      lastText = text;
      lastFrame = frame;
    }
    return frame;
  }
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
    at = writeHeader(out, at, size);
    at += out.write(texts[i]!, at, size, 'utf8');
  }
  return out;
}

/** One text frame of `text`, header and payload in one buffer (kept nowhere: for one session's message). */
export function textFrame(text: string): Buffer {
  const size = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(headerSize(size) + size);
  frame.write(text, writeHeader(frame, 0, size), size, 'utf8');
  return frame;
}

function headerSize(payload: number): number {
  return payload < 126 ? 2 : payload < 0x10000 ? 4 : 10;
}

/** Writes the header of a text frame whose payload is `size` bytes at `at`; returns where the payload goes. */
function writeHeader(out: Buffer, at: number, size: number): number {
  out[at] = FIN_TEXT;
  if (size < 126) {
    out[at + 1] = size;
    return at + 2;
  }
  if (size < 0x10000) {
    out[at + 1] = 126;
    out.writeUInt16BE(size, at + 2);
    return at + 4;
  }
  out[at + 1] = 127;
  out.writeUInt32BE(Math.floor(size / 0x100000000), at + 2);
  out.writeUInt32BE(size >>> 0, at + 6);
  return at + 10;
}
