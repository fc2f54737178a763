// The feed file the stream-feed tests write to: `feed.log` in a fresh temporary directory of its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Resolves with the feed file's path, its directory's, and `remove()`, which deletes the directory. */
export async function tempFeedFile() {
  const dir = await mkdtemp(join(tmpdir(), 'stream-feed-'));
  return { dir, file: join(dir, 'feed.log'), remove: () => rm(dir, { recursive: true, force: true }) };
}
