// The Socket.IO Admin UI over the Redis cluster, as an operator meets it: two Switchyard nodes joined
// by RedisCluster, `instrument(io, { auth: false })` from @socket.io/admin-ui on each, and the UI's own
// built pages (ui/dist in the npm package) served on a port of their own and driven in headless
// Chromium, connected to one node only. It must list both servers, the sockets of 4.x, 2.x and 0.9
// on both nodes with their transports, the room they share with members from both nodes, live changes
// on the other node (a client arriving, a socket disconnected from the UI), the events of both nodes and
// the dashboard's totals. Screenshots are kept in test-results/ (gitignored).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instrument } from '@socket.io/admin-ui';
import { chromiumInstalled, chromiumLaunchOptions, type GenerationClient, serveStaticDir, type StaticSite, socketIoClientV09, socketIoClientV2, socketIoClientV4 } from '@switchyard/testing';
import { AdminUiPage } from '@switchyard/testing/admin-ui';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessNode, inProcessNode } from './in-process-node.js';
import { newClient, redisAnswers, uniqueKey } from './redis-env.js';

const chromiumFound = chromiumInstalled('admin-ui');

const require = createRequire(import.meta.url);
const UI_ROOT = join(dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui', 'dist');
/** Where the screenshot is kept (gitignored). */
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

type Instrumented = Parameters<typeof instrument>[0];

describe.skipIf(!redisAnswers || !chromiumFound)('the Socket.IO Admin UI over RedisCluster, in Chromium', () => {
  let browser: Browser;
  let site: StaticSite;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    site = await serveStaticDir(UI_ROOT);
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('lists both servers, the sockets of 4.x, 2.x and 0.9 on both nodes, their shared room and events, and follows changes on either node', async () => {
    const key = uniqueKey('admin-ui');
    // The UI connects with credentials (withCredentials), so its origin is named, as admin-ui's README says.
    const server = { cors: { origin: site.url, credentials: true } };
    const nodes: InProcessNode[] = [];
    for (const name of ['node-a', 'node-b']) {
      const node = await inProcessNode(key, newClient(), { server });
      cleanups.push(() => node.close());
      // Both nodes share this process, hence this host and pid: serverId tells them apart. Development
      // mode sends the sockets and events (vitest sets NODE_ENV=test).
      instrument(node.io as unknown as Instrumented, { auth: false, mode: 'development', serverId: name });
      node.io.on('connection', (socket) => {
        socket.on('join', (room: string, ack: (room: string) => void) => {
          socket.join(room);
          ack(room);
        });
      });
      nodes.push(node);
    }
    const [a, b] = nodes as [InProcessNode, InProcessNode];
    const urlOf = (node: InProcessNode) => `http://127.0.0.1:${node.port}`;

    // Each client's server-side id and the transport the UI must show for it.
    const expected: { id: string; transport: string; client: GenerationClient }[] = [];
    const connect = async (node: InProcessNode, generation: typeof socketIoClientV4, transport: 'websocket' | 'polling', shown: string): Promise<(typeof expected)[number]> => {
      const seen = new Promise<string>((resolve) => node.io.once('connection', (socket) => resolve(socket.id)));
      const client = await generation.connect({ url: urlOf(node), path: '/socket.io', transports: [transport] });
      cleanups.push(() => client.close());
      const entry = { id: await seen, transport: shown, client };
      await client.ask('join', 'lobby');
      return entry;
    };
    expected.push(await connect(a, socketIoClientV4, 'websocket', 'WebSocket'));
    expected.push(await connect(b, socketIoClientV4, 'websocket', 'WebSocket'));
    expected.push(await connect(a, socketIoClientV2, 'polling', 'HTTP long-polling'));
    expected.push(await connect(b, socketIoClientV09, 'polling', 'xhr-polling'));

    const ui = await AdminUiPage.open(browser, site.url);
    cleanups.push(() => ui.close());
    const { page } = ui;
    // A missing row fails with Playwright's own message, well inside the test's time.
    page.setDefaultTimeout(20_000);

    // Connected to node A only.
    await ui.connect(urlOf(a));

    await ui.show('servers');
    for (const name of ['node-a', 'node-b']) await ui.row(name).waitFor();

    await ui.show('sockets');
    await ui.expectSockets(expected);
    mkdirSync(RESULTS, { recursive: true });
    await ui.screenshot(join(RESULTS, 'admin-ui-redis-sockets.png'));

    // Live updates from the node the UI is not connected to: a 2.x client arrives on B and shows up; the
    // operator disconnects B's 0.9 socket from the UI (its row's button), which ends the client and the row.
    const late = await connect(b, socketIoClientV2, 'polling', 'HTTP long-polling');
    await ui.expectSockets([late]);
    const v09 = expected[3]!;
    await ui.row(v09.id).getByRole('button').click();
    await v09.client.disconnected;
    // The click also opens the socket's own page; back on the list, its row is gone.
    await ui.show('sockets');
    await ui.row(late.id).waitFor();
    await expect.poll(() => ui.row(v09.id).count()).toBe(0);
    expected.splice(3, 1, late);

    await ui.show('rooms');
    await ui.expectRoomSize('lobby', 4);
    await ui.screenshot(join(RESULTS, 'admin-ui-redis-rooms.png'));

    // What the clients of both nodes send from now on reaches the events page.
    await ui.show('events');
    for (const { client } of expected) await client.ask('join', 'chat');
    await ui.expectEvents(expected.map(({ id }) => id), 'join');
    await ui.screenshot(join(RESULTS, 'admin-ui-redis-events.png'));

    // The dashboard adds up both nodes: two healthy servers; 4 sockets in `/` (the 0.9 one is gone), and
    // the UI's own socket in /admin.
    await ui.show('dashboard');
    const healthy = page.getByRole('row').filter({ has: page.getByText(/^\s*healthy\s*$/i) });
    await expect.poll(() => healthy.locator('td').nth(1).textContent()).toMatch(/^\s*2\s*100(\.0)?\s*%/);
    const mainNamespace = page.getByRole('row').filter({ has: page.getByRole('cell', { name: '/', exact: true }) });
    await expect.poll(() => mainNamespace.locator('td').nth(1).textContent()).toMatch(/^\s*4\s*$/);
    await ui.screenshot(join(RESULTS, 'admin-ui-redis-dashboard.png'));
    console.info(`[admin-ui] screenshots in ${RESULTS}`);
  }, 60_000);
});
