// Starts the stream feed: `pnpm -C examples/stream-feed start` (PORT, default 3000; FEED_FILE, default
// examples/stream-feed/feed.log).
import { startExample } from 'switchyard-example-assets/example-server';
import { createFeedApp, DEFAULT_FILE } from './app.mjs';

const file = process.env.FEED_FILE ?? DEFAULT_FILE;
startExample(createFeedApp({ file }), `stream feed (tailing ${file})`);
