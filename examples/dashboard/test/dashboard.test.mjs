// The dashboard in headless Chromium: clients of the three generations (socket.io-client 4.x, 2.5.0 and
// 0.9.16, from Node, over polling and websocket) connect to the server, and the page, reading /metrics once
// a second, shows each generation's sessions in its figures and its chart's legend; a client added from the
// page's own button (0.9.16, in a frame) shows up too, and the figures fall when the clients leave. Any
// console or page error fails the test. A screenshot goes to test-results/screenshot.png.
import { mkdir } from 'node:fs/promises';
import { socketIoClientV09, socketIoClientV2, socketIoClientV4 } from '@switchyard/testing';
import { chromiumAvailable, launchBrowser, openUser, visit } from 'switchyard-example-testapp/test/support/browser.mjs';
import { startServer } from 'switchyard-example-testapp/test/support/start-app.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardApp } from '../app.mjs';

const available = chromiumAvailable('dashboard browser test');
const results = new URL('../test-results/', import.meta.url);

describe.skipIf(!available)('metrics dashboard in Chromium', () => {
  let browser;
  let server;
  const clients = [];
  beforeAll(async () => {
    server = await startServer(createDashboardApp());
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await browser?.close();
    await server?.stop();
  });

  const text = (page, id) => page.locator(`#${id}`).textContent();
  const samples = (page) => page.$eval('#sessions', (chart) => Number(chart.dataset.samples));

  it('plots the sessions of every client generation, live', async () => {
    const viewer = await visit(await openUser(browser, 'viewer'), server.url);
    const { page } = viewer;
    try {
      await expect.poll(() => text(page, 'count-4x')).toBe('0');
      // 4.x four times, 2.x twice, 0.9 twice then once more from the page: counts that tell them apart.
      const connect = (generation, transport) => generation.connect({ url: server.url, path: '/socket.io', transports: [transport] });
      for (const [generation, transport] of [
        [socketIoClientV4, 'polling'],
        [socketIoClientV4, 'polling'],
        [socketIoClientV4, 'websocket'],
        [socketIoClientV4, 'websocket'],
        [socketIoClientV2, 'polling'],
        [socketIoClientV2, 'websocket'],
        // (socket.io-client 0.9's Node build aborts its disconnect POST over xhr-polling: the server would
        // see that client leave only after closeTimeout, a minute. @switchyard/metrics's tests cover it.)
        [socketIoClientV09, 'websocket'],
        [socketIoClientV09, 'websocket'],
      ]) {
        clients.push(await connect(generation, transport));
      }
      for (const client of clients) await client.ask('echo', 'hi');

      await expect.poll(() => text(page, 'count-4x')).toBe('4');
      await expect.poll(() => text(page, 'count-2x')).toBe('2');
      await expect.poll(() => text(page, 'count-09')).toBe('2');
      expect(await text(page, 'transports-4x')).toMatch(/polling 2/);
      expect(await text(page, 'transports-4x')).toMatch(/websocket 2/);
      expect(await text(page, 'transports-2x')).toMatch(/polling 1/);
      expect(await text(page, 'transports-09')).toBe('websocket 2');
      // uPlot drew one canvas per chart, and the legend names the three generations.
      expect(await page.locator('#sessions canvas').count()).toBe(1);
      const legend = await page.locator('#sessions .u-legend .u-series .u-label').allTextContents();
      expect(legend).toEqual(expect.arrayContaining(['4.x', '2.x', '0.9']));

      // One more 0.9 client, from the page's button: a 0.9.16 browser build in a frame of its own.
      await page.click('[data-client="0.9"]');
      await expect.poll(() => text(page, 'count-09'), { timeout: 20_000 }).toBe('3');
      await expect.poll(async () => Number(await text(page, 'rate'))).toBeGreaterThan(0);
      await expect.poll(() => samples(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(15);
      await mkdir(results, { recursive: true });
      await page.screenshot({ path: new URL('screenshot.png', results).pathname, fullPage: true });

      // Everyone leaves: the figures fall to zero.
      for (const client of clients.splice(0)) client.close();
      await page.click('#remove');
      await expect.poll(() => Promise.all(['count-4x', 'count-2x', 'count-09'].map((id) => text(page, id))), { timeout: 20_000 }).toEqual(['0', '0', '0']);
      viewer.check();
    } finally {
      await viewer.close();
    }
  });
});
