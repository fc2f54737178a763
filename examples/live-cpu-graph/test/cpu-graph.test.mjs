// Two viewers watch the CPU graph in headless Chromium, each in a browser context of their own: both
// charts fill with samples in 0–100 %, both see two watchers, the one sampler on the server runs while
// anyone watches and stops when the last viewer pauses or leaves, and starts again on resume. Any console
// error or uncaught error on either page fails the test. A screenshot goes to test-results/screenshot.png.
import { mkdir } from 'node:fs/promises';
import { chromiumAvailable, openUser, visit } from 'switchyard-example-testapp/test/support/browser.mjs';
import { appInChromium } from 'switchyard-example-testapp/test/support/start-app.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCpuApp } from '../app.mjs';
import { loadBetween } from '../cpu-monitor.mjs';

const available = chromiumAvailable('live-cpu-graph browser test');
const results = new URL('../test-results/', import.meta.url);

describe('the CPU load', () => {
  it('is the share of non-idle time between two readings, per core and in all', () => {
    const before = [
      { idle: 100, total: 200 },
      { idle: 50, total: 100 },
    ];
    const after = [
      { idle: 150, total: 300 }, // 50 of 100 idle: 50 %
      { idle: 50, total: 200 }, // 0 of 100 idle: 100 %
    ];
    expect(loadBetween(before, after, 7)).toEqual({ time: 7, total: 75, cores: [50, 100] });
    expect(loadBetween(after, after, 8)).toEqual({ time: 8, total: 0, cores: [0, 0] });
  });
});

describe.skipIf(!available)('live CPU graph in Chromium', () => {
  const running = appInChromium({ beforeAll, afterAll }, createCpuApp);

  const samples = (page) => page.$eval('#chart', (chart) => Number(chart.dataset.samples));
  const text = (page, id) => page.locator(`#${id}`).textContent();

  it('draws the live load for two viewers and stops sampling when nobody watches', async () => {
    expect(running.app.monitor.running).toBe(false);
    const ada = await visit(await openUser(running.browser, 'Ada'), running.server.url);
    const bob = await visit(await openUser(running.browser, 'Bob'), running.server.url);
    try {
      for (const { page } of [ada, bob]) {
        await expect.poll(() => text(page, 'viewers')).toBe('2');
        await expect.poll(() => samples(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
        const now = Number.parseFloat(await text(page, 'now'));
        expect(now).toBeGreaterThanOrEqual(0);
        expect(now).toBeLessThanOrEqual(100);
        // uPlot drew its canvas and its legend with the total and each core.
        expect(await page.locator('#chart canvas').count()).toBe(1);
        expect(await page.locator('#chart .u-legend .u-series').first().isVisible()).toBe(true);
      }
      expect(running.app.monitor.running).toBe(true);
      expect(running.app.monitor.listeners).toBe(2);
      // A fifth of a minute of samples makes a chart worth a screenshot.
      await expect.poll(() => samples(ada.page), { timeout: 30_000 }).toBeGreaterThanOrEqual(12);
      await mkdir(results, { recursive: true });
      await ada.page.screenshot({ path: new URL('screenshot.png', results).pathname });

      // Ada pauses: her job stops, Bob sees one watcher left; then Bob leaves and the sampler stops.
      await ada.page.click('#pause');
      await expect.poll(() => text(bob.page, 'viewers')).toBe('1');
      expect(running.app.monitor.listeners).toBe(1);
      await bob.close();
      await vi.waitFor(() => expect(running.app.monitor.running).toBe(false));
      expect(await text(ada.page, 'viewers')).toBe('0');

      // The network drops: Ada's page shows it, reconnects, and tells the new connection it is paused,
      // so the sampler that connection started stops again.
      running.server.cutConnections();
      await ada.page.locator('.status.disconnected, .status.connecting').first().waitFor();
      await ada.page.locator('.status.connected').waitFor();
      await vi.waitFor(() => expect(running.server.io.of('/cpu').sockets.size).toBe(1));
      await vi.waitFor(() => expect([running.app.monitor.listeners, running.app.monitor.running]).toEqual([0, false]));
      expect(await text(ada.page, 'pause')).toBe('Resume');

      // Ada resumes: the sampler starts again and her chart fills from scratch.
      await ada.page.click('#pause');
      await expect.poll(() => text(ada.page, 'viewers')).toBe('1');
      expect(running.app.monitor.running).toBe(true);
      await expect.poll(() => samples(ada.page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      ada.check();
      bob.check();
    } finally {
      await ada.close();
      await bob.close();
    }
    await vi.waitFor(() => expect(running.app.monitor.running).toBe(false));
  });
});
