// io.inspect() and io.inspectCluster() as an operator meets them: clients of the three generations on
// several transports and namespaces, in rooms, one session caught in the middle of its upgrade, and a
// cluster of two Servers (over Switchyard's cluster adapter, and over one built on socket.io-adapter).
import { io as connect4, type Socket as Client4 } from 'socket.io-client';
import { Adapter as SioAdapter } from 'socket.io-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryCluster, type InspectedSession, type Server, type ServerSnapshot } from '../src/index.js';
import { WsPeer } from './helpers.js';
import { handshake, stream, useLegacy } from './legacy-helpers.js';
import { inProcessSioAdapter } from './sio-adapter-nodes.js';
import { useV2Clients } from './sio2-helpers.js';
import { connected, rawRequest, until } from './sio-helpers.js';

const { start } = useLegacy();
const v2 = useV2Clients();
let modern: Client4[] = [];
let closers: (() => void)[] = [];

afterEach(() => {
  for (const socket of modern) socket.disconnect();
  for (const close of closers) close();
  modern = [];
  closers = [];
});

async function connect4At(url: string, transport: 'websocket' | 'polling'): Promise<Client4> {
  const socket = connect4(url, { forceNew: true, reconnection: false, transports: [transport] });
  modern.push(socket);
  return connected(socket, transport);
}

/** Every server-side socket joins the rooms it names in its query (`?rooms=a,b`). */
function joinRoomsFromQuery(io: Server, ...names: string[]): void {
  for (const name of names) {
    io.of(name).on('connection', (socket) => {
      const rooms = socket.handshake.query.rooms;
      if (typeof rooms === 'string') socket.join(rooms.split(','));
    });
  }
}

function sessionsOf(snapshot: ServerSnapshot): InspectedSession[] {
  return snapshot.engine.sessions ?? [];
}

describe('io.inspect()', () => {
  it('counts and lists the sessions and sockets of every generation, by transport and namespace, with their rooms', async () => {
    const h = await start();
    joinRoomsFromQuery(h.io, '/', '/chat', '/admin');
    await connect4At(`${h.url}/?rooms=lobby`, 'websocket');
    await connect4At(`${h.url}/chat?rooms=lobby,news`, 'polling');
    await v2.connect(`${h.url}/?rooms=lobby`, { transports: ['polling'] });
    await v2.connect(`${h.url}/admin?rooms=ops`, { transports: ['websocket'] });
    await h.connect('/', 'xhr-polling', { query: 'rooms=lobby' });
    await h.connect('/', 'websocket', { query: 'rooms=lobby,news' });
    // A 0.9 htmlfile session (no Node client speaks it): a raw handshake, then the held streaming GET.
    const sid = await handshake(h.url);
    const htmlfile = await stream(`${h.url}/socket.io/1/htmlfile/${sid}`);
    closers.push(htmlfile.end);
    await until(() => h.io.engine.clientsCount === 7);

    const snapshot = h.io.inspect();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.engine.clients).toEqual({
      total: 7,
      byGeneration: { '4.x': 2, '2.x': 2, '0.9': 3 },
      byTransport: { websocket: 3, polling: 2, 'xhr-polling': 1, htmlfile: 1 },
    });
    expect(snapshot.engine.upgrading).toBe(0);
    // The 2.x client of /admin also has a socket in / (2.x always joins the main namespace).
    expect(snapshot.sockets.total).toBe(8);
    const byName = Object.fromEntries(snapshot.namespaces.map((nsp) => [nsp.name, nsp]));
    expect(Object.keys(byName)).toEqual(['/', '/chat', '/admin']);
    expect(byName['/']!.sockets.byGeneration).toEqual({ '4.x': 1, '2.x': 2, '0.9': 3 });
    expect(byName['/']!.sockets.byTransport).toEqual({ websocket: 3, polling: 1, 'xhr-polling': 1, htmlfile: 1 });
    // The 2.x client's socket in / has the same handshake query as its socket in /admin.
    expect(byName['/']!.rooms).toEqual([
      { name: 'lobby', members: 4 },
      { name: 'news', members: 1 },
      { name: 'ops', members: 1 },
    ]);
    expect(byName['/chat']!.rooms).toEqual([
      { name: 'lobby', members: 1 },
      { name: 'news', members: 1 },
    ]);
    expect(byName['/admin']!.sockets).toEqual({ total: 1, byGeneration: { '4.x': 0, '2.x': 1, '0.9': 0 }, byTransport: { websocket: 1 } });
    expect(byName['/admin']!.rooms).toEqual([{ name: 'ops', members: 1 }]);

    const sessions = sessionsOf(snapshot);
    expect(sessions.map((s) => `${s.generation} ${s.transport} ${s.namespaces.join('+')}`).sort()).toEqual([
      '0.9 htmlfile /',
      '0.9 websocket /',
      '0.9 xhr-polling /',
      '2.x polling /',
      '2.x websocket /+/admin',
      '4.x polling /chat',
      '4.x websocket /',
    ]);
    expect(sessions.find((s) => s.transport === 'htmlfile')).toMatchObject({ id: sid, protocol: 1, upgraded: false, remoteAddress: '127.0.0.1' });
    for (const session of sessions) expect(session.openedAt).toBeLessThanOrEqual(snapshot.takenAt);

    expect(snapshot.node).toMatchObject({ pid: process.pid });
    expect(snapshot.node.id).toMatch(/^[0-9a-f]{16}$/);
    expect(snapshot.node.uptime).toBeGreaterThan(0);
    expect(h.io.inspect({ sessions: false }).engine.sessions).toBeUndefined();

    // What leaves is gone from the next snapshot.
    for (const socket of modern) socket.disconnect();
    await until(() => h.io.inspect().engine.clients.total === 5);
    expect(h.io.inspect().engine.clients.byGeneration).toEqual({ '4.x': 0, '2.x': 2, '0.9': 3 });
  });

  it('shows a session in the middle of its upgrade on polling, upgrading, then on websocket', async () => {
    const h = await start();
    const open = await rawRequest(`${h.url}/socket.io/?EIO=4&transport=polling`);
    const sid = (JSON.parse(open.body.toString().slice(1)) as { sid: string }).sid;
    const probe = new WsPeer(`ws://127.0.0.1:${h.port}/socket.io/?EIO=4&transport=websocket&sid=${sid}`);
    closers.push(() => probe.ws.terminate());
    await probe.opened;
    probe.send('2probe');
    expect(await probe.text()).toBe('3probe');

    const during = h.io.inspect();
    expect(during.engine.upgrading).toBe(1);
    expect(sessionsOf(during)).toEqual([expect.objectContaining({ id: sid, generation: '4.x', transport: 'polling', upgrading: true, upgraded: false, namespaces: [] })]);

    probe.send('5');
    await until(() => sessionsOf(h.io.inspect())[0]?.transport === 'websocket');
    expect(sessionsOf(h.io.inspect())[0]).toMatchObject({ upgrading: false, upgraded: true });
    expect(h.io.inspect().engine.upgrading).toBe(0);
  });

  it('counts a 0.9 handshake not used yet apart from the clients', async () => {
    const h = await start();
    await handshake(h.url);
    const snapshot = h.io.inspect();
    expect(snapshot.engine.pendingHandshakes).toBe(1);
    expect(snapshot.engine.clients.total).toBe(0);
    expect(h.io.engine.clientsCount).toBe(0);
  });
});

describe('io.engine.clientsCount', () => {
  it('counts the connected clients of every generation; io.engine.sessionCount only the Engine.IO ones', async () => {
    const h = await start();
    await connect4At(h.url, 'polling');
    await v2.connect(h.url, { transports: ['websocket'] });
    const old = await h.connect('/', 'xhr-polling');
    expect(h.io.engine.clientsCount).toBe(3);
    expect(h.io.engine.sessionCount).toBe(2);
    old.disconnect();
    await until(() => h.io.engine.clientsCount === 2);
  });
});

describe('io.inspectCluster()', () => {
  it.each([
    ['the in-process adapter', {}],
    ["socket.io-adapter's in-memory Adapter", { adapter: SioAdapter }],
  ] as const)("alone, is this node's snapshot (%s)", async (_name, options) => {
    const h = await start(options);
    await connect4At(h.url, 'websocket');
    const cluster = await h.io.inspectCluster();
    expect(cluster.nodes).toHaveLength(1);
    expect(cluster.nodes[0]!.node.id).toBe(h.io.inspect().node.id);
    expect(cluster.clients.total).toBe(1);
  });

  it("gathers every node's snapshot over Switchyard's cluster adapter, and hides the request from serverSideEmit listeners", async () => {
    const cluster = new InMemoryCluster({ heartbeatInterval: 100 });
    const one = await start({ adapter: cluster.adapter });
    const two = await start({ adapter: cluster.adapter });
    const heard: unknown[] = [];
    one.io.on('switchyard:node-request' as never, (...args: unknown[]) => heard.push(args));
    two.io.on('switchyard:node-request' as never, (...args: unknown[]) => heard.push(args));
    await connect4At(one.url, 'websocket');
    await v2.connect(two.url, { transports: ['polling'] });
    await two.connect('/', 'websocket');
    await until(async () => (await one.io.sockets.adapter.serverCount()) === 2);

    const snapshot = await one.io.inspectCluster({ sessions: false });
    expect(snapshot.nodes.map((node) => node.node.id)).toEqual([one.io.inspect().node.id, two.io.inspect().node.id]);
    expect(snapshot.nodes.map((node) => node.engine.clients.byGeneration)).toEqual([
      { '4.x': 1, '2.x': 0, '0.9': 0 },
      { '4.x': 0, '2.x': 1, '0.9': 1 },
    ]);
    expect(snapshot.nodes[1]!.engine.sessions).toBeUndefined();
    expect(snapshot.clients).toEqual({ total: 3, byGeneration: { '4.x': 1, '2.x': 1, '0.9': 1 }, byTransport: { websocket: 2, polling: 1 } });
    expect(snapshot.sockets.total).toBe(3);

    const fromTwo = await two.io.inspectCluster();
    expect(sessionsOf(fromTwo.nodes[1]!).map((s) => s.transport)).toEqual(['websocket']);
    expect(heard).toEqual([]);
  });

  it("gathers every node's snapshot over an adapter built on socket.io-adapter", async () => {
    const InProcess = inProcessSioAdapter({ heartbeatInterval: 100 });
    const one = await start({ adapter: InProcess });
    const two = await start({ adapter: InProcess });
    await two.connect('/', 'xhr-polling');
    await until(async () => (await one.io.sockets.adapter.serverCount()) === 2);

    const snapshot = await one.io.inspectCluster();
    expect(snapshot.nodes).toHaveLength(2);
    expect(snapshot.nodes[1]!.node.id).toBe(two.io.inspect().node.id);
    expect(sessionsOf(snapshot.nodes[1]!).map((s) => `${s.generation} ${s.transport}`)).toEqual(['0.9 xhr-polling']);
    expect(snapshot.clients.byTransport).toEqual({ 'xhr-polling': 1 });
  });
});
