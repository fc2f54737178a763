// openTail on a real file: its backlog, lines appended later (a line only once its newline is written,
// UTF-8 split across writes), a truncated file read again from its start, and close() releasing it.
import { appendFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openTail } from '../tail-file.mjs';
import { tempFeedFile } from './feed-file.mjs';

describe('openTail', () => {
  let feed;
  let tail;
  beforeEach(async () => {
    feed = await tempFeedFile();
  });
  afterEach(async () => {
    await tail?.close();
    await feed.remove();
  });

  it('gives the last lines, then each line appended, then none after close', async () => {
    await writeFile(feed.file, 'one\ntwo\nthree\nhalf');
    const seen = [];
    tail = await openTail(feed.file, { backlog: 2, onLines: (lines) => seen.push(...lines) });
    expect(tail.backlog).toEqual(['two', 'three']);
    await appendFile(feed.file, ' a line\nfour\r\n');
    await vi.waitFor(() => expect(seen).toEqual(['half a line', 'four']));
    // "é" in two writes, split inside the character.
    const e = Buffer.from('é\n');
    await appendFile(feed.file, e.subarray(0, 1));
    await appendFile(feed.file, e.subarray(1));
    await vi.waitFor(() => expect(seen).toEqual(['half a line', 'four', 'é']));

    await truncate(feed.file, 0);
    await appendFile(feed.file, 'after truncation\n');
    await vi.waitFor(() => expect(seen.at(-1)).toBe('after truncation'));

    await tail.close();
    const count = seen.length;
    await appendFile(feed.file, 'unseen\n');
    // A fresh tail sees the new line, so the closed one had its chance to (wrongly) see it too.
    const seenLater = [];
    const second = await openTail(feed.file, { onLines: (lines) => seenLater.push(...lines) });
    await appendFile(feed.file, 'later\n');
    await vi.waitFor(() => expect(seenLater).toEqual(['later']));
    await second.close();
    expect(seen.length).toBe(count);
  });

  it('refuses a file that is not there', async () => {
    await expect(openTail(join(feed.dir, 'missing.log'), { onLines: () => {} })).rejects.toThrow(/ENOENT/);
  });
});
