// The test application's behaviours (behaviours.mjs) in headless Chromium, through the official browser
// bundles: socket.io-client 0.9.16's dist/socket.io.js forced onto websocket, xhr-polling and
// jsonp-polling; 2.5.0's dist/socket.io.js on websocket, polling and JSONP polling (forceJSONP); and the
// 4.x bundle the server itself serves. Without Chromium this file is skipped with a message, except on
// CI (CI=true), where a missing Chromium fails the run.
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { defineBehaviours } from './behaviours.mjs';
import { V09 } from './generations/v09.mjs';
import { V2 } from './generations/v2.mjs';
import { V4 } from './generations/v4.mjs';
import { chromiumAvailable, launchBrowser } from './support/browser.mjs';
import { pageClients, pagePool } from './support/page-clients.mjs';
import { startTestApp } from './support/start-app.mjs';
import { serveTestPages } from './support/test-pages.mjs';

describe.skipIf(!chromiumAvailable('testapp browser.test'))('testapp in Chromium', () => {
  let browser;
  let pool;
  beforeAll(async () => {
    browser = await launchBrowser();
    pool = pagePool(browser);
  }, 30_000);
  afterAll(async () => {
    await pool?.close();
    await browser?.close();
  });

  for (const generation of [V09, V2, V4]) {
    for (const transport of generation.browser.transports) {
      describe(`${generation.title}'s browser bundle over ${transport.name}`, () => {
        let app;
        let clients;
        beforeEach(async () => {
          app = await startTestApp();
          serveTestPages(app.httpServer, [generation]);
          clients = pageClients(pool, generation, transport, app.url);
        });
        afterEach(async () => {
          try {
            await clients?.close();
          } finally {
            await app?.stop();
          }
        });
        defineBehaviours(generation, () => ({ app, transport, connect: clients.connect, refused: clients.refused }));
      });
    }
  }
});
