// `tail -f` for one reader: the last lines of a file, then every line appended to it, read through a file
// handle of the reader's own that `close()` releases. A file truncated under it is read again from its
// start.
import { watch } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** How far back from the end the backlog is looked for. */
const BACKLOG_BYTES = 64 * 1024;

/**
 * Opens `path` and resolves with `{ backlog, close }`: up to `backlog` complete lines from its end, and a
 * function that stops the tail and closes its handle. Lines appended later go to `onLines(lines)`;
 * a line is handed over once its newline is written.
 */
export async function openTail(path, { backlog = 50, onLines, onError = () => {} }) {
  const handle = await open(path, 'r');
  const decoder = new StringDecoder('utf8');
  let position = 0;
  let partial = '';
  let closed = false;
  // Reads queue up behind the backlog's.
  let backlogRead;
  let reading = new Promise((resolve) => (backlogRead = resolve));
  let pending = false;

  /** Reads what was appended since the last read, once at a time. */
  function readMore() {
    if (pending || closed) return;
    pending = true;
    reading = reading.then(async () => {
      pending = false;
      if (closed) return;
      const { size } = await handle.stat();
      if (size < position) {
        position = 0;
        partial = '';
      }
      if (size === position) return;
      const lines = splitLines(await readRange(size));
      if (lines.length > 0 && !closed) onLines(lines);
    }).catch((err) => closed || onError(err));
  }

  async function readRange(end) {
    const buffer = Buffer.alloc(end - position);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    position += bytesRead;
    return decoder.write(buffer.subarray(0, bytesRead));
  }

  function splitLines(text) {
    const lines = (partial + text).split('\n');
    partial = lines.pop();
    return lines.map((line) => line.replace(/\r$/, ''));
  }

  // Watching starts before the backlog is read, so nothing appended in between is missed.
  const watcher = watch(path, readMore);
  watcher.on('error', (err) => closed || onError(err));
  let first;
  try {
    const { size } = await handle.stat();
    position = Math.max(0, size - BACKLOG_BYTES);
    const text = await readRange(size);
    first = splitLines(text);
    // Started mid-file: the first line is probably cut.
    if (size > BACKLOG_BYTES) first.shift();
  } catch (err) {
    closed = true;
    watcher.close();
    await handle.close();
    throw err;
  } finally {
    backlogRead();
  }
  readMore();

  return {
    backlog: first.slice(-backlog),
    async close() {
      if (closed) return;
      closed = true;
      watcher.close();
      await reading;
      await handle.close();
    },
  };
}
