// A live feed over Switchyard, after gevent-socketio's streaming examples: every page that connects to
// `/feed` gets a job of its own (`spawn`) that tails a log file and streams each new line to it, filtered
// its own way; the job, and the file handle it holds, go away when the page leaves. The file is this
// server's own request log, plus whatever users post and whatever anyone appends to it by hand.
// `createFeedApp({ file })` returns an http server that is not listening yet.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { BaseNamespace, Server } from '@switchyard/core';
import { serveAssets } from 'switchyard-example-assets';
import { notFound, servePage } from 'switchyard-example-assets/example-server';
import { openTail } from './tail-file.mjs';

const page = readFileSync(new URL('./index.html', import.meta.url));
export const DEFAULT_FILE = new URL('./feed.log', import.meta.url).pathname;
export const MAX_POST = 500;
const MAX_LINE = 2000;
const MAX_FILTER = 100;

export function createFeedApp({ file = DEFAULT_FILE } = {}) {
  /** The tails open right now, one per reading socket: the count the pages show, and the test checks. */
  const tails = new Set();
  let writes = appendFile(file, '').catch((err) => console.warn(`feed: ${file} could not be created: ${err.message}`));
  /** Appends one line to the feed, after every earlier one; resolves with the error if that failed. */
  const append = (line) => {
    writes = writes
      .then(() => appendFile(file, `${new Date().toISOString()} ${line}\n`))
      .then(
        () => undefined,
        (err) => {
          console.warn(`feed: ${file} could not be written: ${err.message}`);
          return err;
        },
      );
    return writes;
  };

  /** `/feed`: each socket reads the file through its own tail, with its own filter (`filter`), and may `post`. */
  class FeedNamespace extends BaseNamespace {
    filter = '';

    recvConnect() {
      this.emit('source', { file });
      this.#read();
    }

    /** `filter(text)`: only lines containing `text` (any case) from now on, starting with the backlog. */
    onFilter(text) {
      if (typeof text !== 'string' || text.length > MAX_FILTER) return { error: `A filter is text of at most ${MAX_FILTER} characters.` };
      this.filter = text.trim().toLowerCase();
      this.killLocalJobs();
      this.#read();
      return { filter: this.filter };
    }

    /** `post(text)`: appends a line to the feed, which every reader's tail then picks up. */
    async onPost(text) {
      const line = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
      if (line.length === 0 || line.length > MAX_POST) return { error: `A post is 1 to ${MAX_POST} characters.` };
      const failed = await append(`note: ${line}`);
      return failed === undefined ? { posted: true } : { error: 'The feed could not be written.' };
    }

    /** The socket's job: a tail of the file, streamed to it until the job is stopped. */
    #read() {
      const keep = (lines) => lines.filter((line) => line.toLowerCase().includes(this.filter)).map((line) => line.slice(0, MAX_LINE));
      const failed = (err) => this.error('method_error', `The feed could not be read: ${err.message}`);
      this.spawn(async (signal) => {
        const tail = await openTail(file, {
          onLines: (lines) => {
            const shown = keep(lines);
            if (shown.length > 0) this.emit('lines', shown);
          },
          onError: failed,
        }).catch(failed);
        if (tail === undefined) return;
        tails.add(tail);
        try {
          if (signal.aborted) return;
          this.emit('backlog', keep(tail.backlog), this.filter);
          this.broadcastEvent('readers', tails.size);
          // A job lasts as long as its promise: this one, until the socket leaves or changes its filter.
          await once(signal, 'abort');
        } finally {
          await tail.close();
          tails.delete(tail);
          io.of('/feed').emit('readers', tails.size);
        }
      });
    }
  }

  const io = new Server();
  const httpServer = createServer((req, res) => {
    if (io.handleRequest(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    res.on('finish', () => void append(`${req.method} ${path} ${res.statusCode} ${req.socket.remoteAddress ?? '-'}`));
    if (!serveAssets(req, res) && !servePage(req, res, page)) notFound(res);
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!io.handleUpgrade(req, socket, head)) socket.destroy();
  });
  io.register('/feed', FeedNamespace);
  return { httpServer, io, tails, file, written: () => writes };
}
