// The Socket.IO Admin UI as an operator meets it: `instrument(io, { auth: false })` from
// @socket.io/admin-ui on a Switchyard Server, and the UI's own built pages (shipped in the npm package,
// ui/dist) served from another origin and driven in headless Chromium. Its sockets page lists the
// sockets of three client generations (4.x over websocket, 2.x and 0.9 over polling), each with its
// transport, its rooms page the room they share, its events page what each of them sends, and its
// servers page this server.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { instrument } from '@socket.io/admin-ui';
import { type Browser, chromium } from 'playwright-core';
import { io as connect4 } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/index.js';
// The client wrappers of @switchyard/testing, from its source: that package depends on core, so core cannot depend on it.
import { AdminUiPage } from '../../testing/src/admin-ui.js';
import { type GenerationClient, socketIoClientV09, socketIoClientV2, socketIoClientV4 } from '../../testing/src/client-generations.js';
import { chromiumInstalled, chromiumLaunchOptions } from '../../testing/src/chromium.js';
import { serveStaticDir, type StaticSite } from '../../testing/src/static-site.js';
import { once, useSio } from './sio-helpers.js';

const available = chromiumInstalled('admin-ui');

const require = createRequire(import.meta.url);
const UI_ROOT = join(dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui', 'dist');
/** The 4.x, 2.x and 0.9 clients, each in the room `lobby`; their server-side socket ids by generation. */
async function threeGenerations(io: Server, url: string, clients: GenerationClient[]): Promise<Record<'v4' | 'v2' | 'v09', string>> {
  const ids: Record<number, string> = {};
  io.on('connection', (socket) => {
    ids[socket.conn.protocol] = socket.id;
    socket.on('join', (room: string, ack: (room: string) => void) => {
      socket.join(room);
      ack(room);
    });
  });
  const path = '/socket.io';
  clients.push(await socketIoClientV4.connect({ url, path, transports: ['websocket'] }));
  clients.push(await socketIoClientV2.connect({ url, path, transports: ['polling'] }));
  clients.push(await socketIoClientV09.connect({ url, path, transports: ['polling'] }));
  for (const client of clients) await client.ask('join', 'lobby');
  // socket.conn.protocol tells the generations apart: Engine.IO 4 and 3, and 1 for the 0.9 protocol.
  expect(Object.keys(ids)).toEqual(['1', '3', '4']);
  return { v4: ids[4]!, v2: ids[3]!, v09: ids[1]! };
}

const sio = useSio();

describe.skipIf(!available)('the Socket.IO Admin UI (@socket.io/admin-ui) in Chromium', () => {
  let browser: Browser;
  let site: StaticSite;
  let clients: GenerationClient[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'switchyard-admin-ui-'));

  beforeAll(async () => {
    site = await serveStaticDir(UI_ROOT);
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  afterEach(() => {
    for (const client of clients) client.close();
    clients = [];
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('lists the sockets of 4.x, 2.x and 0.9 with their transports, the room they share, their events and the server', async () => {
    // The UI connects with credentials (withCredentials), so its origin is named, as admin-ui's README says.
    const h = await sio.start({ cors: { origin: site.url, credentials: true } });
    // Explicitly in development mode, which sends the sockets and events: vitest sets NODE_ENV=test.
    instrument(h.io as unknown as Parameters<typeof instrument>[0], { auth: false, mode: 'development' });
    const ids = await threeGenerations(h.io, h.url, clients);

    const ui = await AdminUiPage.open(browser, site.url);
    try {
      await ui.connect(h.url);

      await ui.show('sockets');
      await ui.expectSockets([
        { id: ids.v4, transport: 'WebSocket' },
        { id: ids.v2, transport: 'HTTP long-polling' },
        { id: ids.v09, transport: 'xhr-polling' },
      ]);
      await ui.screenshot(join(shots, 'sockets.png'));

      await ui.show('rooms');
      await ui.expectRoomSize('lobby', 3);
      await ui.screenshot(join(shots, 'rooms.png'));

      // What the clients send from now on reaches the events page, for every generation.
      await ui.show('events');
      for (const client of clients) await client.ask('join', 'chat');
      await ui.expectEvents([ids.v4, ids.v2, ids.v09], 'join');
      await ui.screenshot(join(shots, 'events.png'));

      await ui.show('servers');
      await ui.row(hostname()).waitFor();
      await ui.screenshot(join(shots, 'servers.png'));
      console.info(`[admin-ui] screenshots in ${shots}`);
      if (process.env.ADMIN_UI_SCREENSHOT !== undefined) copyFileSync(join(shots, 'sockets.png'), process.env.ADMIN_UI_SCREENSHOT);
    } finally {
      await ui.close();
    }
  });
});

/** What the Admin UI's server side sends the page about one socket, and about the server. */
interface AdminSocket {
  id: string;
  transport: string;
  handshake: { query: Record<string, string> };
}
interface AdminStats {
  clientsCount: number;
  namespaces: { name: string; socketsCount: number }[];
}

// Without a browser: what instrument() sends the page, read by a socket.io-client of /admin as the UI does.
describe('what @socket.io/admin-ui reports of every generation', () => {
  let clients: GenerationClient[] = [];
  afterEach(() => {
    for (const client of clients) client.close();
    clients = [];
  });

  it('every socket with its own transport, and every generation in the clients count', async () => {
    const h = await sio.start();
    instrument(h.io as unknown as Parameters<typeof instrument>[0], { auth: false, mode: 'development' });
    const ids = await threeGenerations(h.io, h.url, clients);
    const admin = connect4(`${h.url}/admin`, { forceNew: true, reconnection: false, transports: ['websocket'] });
    try {
      const [sockets] = await once<[AdminSocket[]]>(admin, 'all_sockets');
      const seen = Object.fromEntries(sockets.map((socket) => [socket.id, socket]));
      expect(seen[ids.v4]!.transport).toBe('websocket');
      expect(seen[ids.v2]!.transport).toBe('polling');
      // The 0.9 transports keep their own names, which the UI shows as they are.
      expect(seen[ids.v09]!.transport).toBe('xhr-polling');
      // The page's "initial request" tells Engine.IO 4 and 3 apart by EIO; a 0.9 handshake has none.
      expect([seen[ids.v4]!.handshake.query.EIO, seen[ids.v2]!.handshake.query.EIO, seen[ids.v09]!.handshake.query.EIO]).toEqual(['4', '3', undefined]);

      // The dashboard's client count is io.engine.clientsCount: the three clients and the UI's own.
      const [stats] = await once<[AdminStats]>(admin, 'server_stats', 5000);
      expect(stats.clientsCount).toBe(4);
      expect(stats.namespaces.find((nsp) => nsp.name === '/')!.socketsCount).toBe(3);
    } finally {
      admin.disconnect();
    }
  });
});
