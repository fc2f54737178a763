// The testapp's chat page in headless Chromium: two people join with the page's form, see each other
// and talk, and after every connection is cut the page logs in again by itself. Without Chromium this
// file is skipped with a message, except on CI (CI=true).
import { afterEach, describe, it } from 'vitest';
import { chromiumAvailable, launchBrowser, startRelay } from './support/browser.mjs';
import { checkChatPage } from './support/chat-page-check.mjs';
import { startTestApp } from './support/start-app.mjs';

describe.skipIf(!chromiumAvailable('testapp chat page'))('the chat page in Chromium', () => {
  const open = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });

  it('two people chat, and each page logs in again after its connection is cut', async () => {
    const app = await startTestApp();
    open.push(() => app.stop());
    const relay = await startRelay(app.httpServer.address().port);
    open.push(() => relay.close());
    const browser = await launchBrowser();
    open.push(() => browser.close());
    await checkChatPage(browser, { relay, title: 'Switchyard chat · node:http', signIn: false, dir: new URL('../', import.meta.url) });
  }, 180_000);
});
