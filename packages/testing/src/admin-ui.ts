// The Socket.IO Admin UI (the built pages of @socket.io/admin-ui) in Chromium through playwright-core, read as
// an operator reads it: the steps every Admin UI test takes, whatever server or cluster it points the UI at.
// It is a subpath of its own, `@switchyard/testing/admin-ui`, so that playwright-core's types stay out of the
// main entry and only the tests that drive a browser need playwright-core installed.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { until } from './wait.js';

/** The UI's pages, named by the hash route it gives them. */
export type AdminUiView = 'dashboard' | 'sockets' | 'rooms' | 'events' | 'servers';

/** What the sockets page must show of one socket: its server-side id and its transport, as the UI words it. */
export interface ShownSocket {
  id: string;
  /** 'WebSocket', 'HTTP long-polling', or the 0.9 transport's own name ('xhr-polling'). */
  transport: string;
}

/** How long the checks below wait for the page to show what they look for: well inside a test's own timeout, so a failure names what was missing. */
const SHOWN_WITHIN_MS = 5000;

/** One page of the Admin UI in a browser context of its own; `close()` closes the context. */
export class AdminUiPage {
  readonly page: Page;
  readonly #context: BrowserContext;
  readonly #uiUrl: string;

  private constructor(context: BrowserContext, page: Page, uiUrl: string) {
    this.#context = context;
    this.page = page;
    this.#uiUrl = uiUrl;
  }

  /**
   * Opens the UI served at `uiUrl` in a new context of `browser`. The page loads its fonts and icons from
   * CDNs: only requests to 127.0.0.1 are let through, so the test needs no network.
   */
  static async open(browser: Browser, uiUrl: string): Promise<AdminUiPage> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    try {
      await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
      return new AdminUiPage(context, await context.newPage(), uiUrl);
    } catch (err) {
      await context.close();
      throw err;
    }
  }

  /** Fills in the connection modal as an operator does: the server's URL, the default path and namespace, no credentials. */
  async connect(serverUrl: string): Promise<void> {
    await this.page.goto(this.#uiUrl);
    await this.page.getByLabel('Server URL').fill(serverUrl);
    await this.page.getByRole('button', { name: 'Connect' }).click();
    await this.page.getByText('Connection', { exact: true }).waitFor({ state: 'hidden' });
  }

  /** Goes to one of the UI's pages. */
  async show(view: AdminUiView): Promise<void> {
    await this.page.goto(`${this.#uiUrl}/#/${view === 'dashboard' ? '' : `${view}/`}`);
  }

  /** The table rows of the page shown that mention `text`: a socket id, a room, a server's name. */
  row(text: string): Locator {
    return this.page.getByRole('row').filter({ hasText: text });
  }

  /** On the sockets page: waits until every socket has its row, showing its transport. */
  async expectSockets(sockets: readonly ShownSocket[]): Promise<void> {
    for (const { id, transport } of sockets) {
      await this.row(id).waitFor();
      await until(async () => (await this.row(id).textContent())?.includes(transport) === true, `the row of socket ${id} to show ${transport}`, SHOWN_WITHIN_MS);
    }
  }

  /** On the rooms page: waits until `room` counts `members` sockets. */
  async expectRoomSize(room: string, members: number): Promise<void> {
    const cell = this.row(room).locator('td').nth(2);
    await cell.waitFor();
    await until(async () => (await cell.textContent())?.trim() === String(members), `room ${room} to count ${members} sockets`, SHOWN_WITHIN_MS);
  }

  /** On the events page: waits until every socket of `ids` has a row for `event`. */
  async expectEvents(ids: readonly string[], event: string): Promise<void> {
    for (const id of ids) await this.row(id).filter({ hasText: event }).first().waitFor();
  }

  /** A screenshot of the whole page shown, to `path`. */
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }

  async close(): Promise<void> {
    await this.#context.close();
  }
}
