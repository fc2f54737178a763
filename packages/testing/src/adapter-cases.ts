// The adapter conformance cases, grouped by what they look at; each group takes the harness of
// adapter-harness.ts and declares its cases with `h.test`.
import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { BaseNamespace, Server } from '@switchyard/core';
import type { AdapterHarness } from './adapter-harness.js';
import { legacyHandshake, openStream, tcpHandles, upgradeStatus } from './http-probes.js';
import { sleep, until, within } from './wait.js';
import { ServerSideTimers } from './server-side-timers.js';

const CLOSE_BUDGET_MS = 2000;
const CLIENTS_AT_CLOSE = 100;

/** Mounting, and every generation connecting, talking, upgrading and carrying the framework's auth. */
export function clientCases(h: AdapterHarness): void {
  h.test('refuses a Server already attached to an http server, whose own listener would bypass the framework', async () => {
    const io = new Server(createServer());
    try {
      await rejects(async () => h.options.createApp({ io }), /already attached to an http server/);
    } finally {
      await io.close();
    }
  });

  for (const generation of h.generations) {
    h.test(`${generation.name}: connects and talks over long-polling`, async () => {
      const r = await h.start();
      const client = await h.connect(r, generation, { transports: ['polling'] });
      strictEqual(await client.ask('echo', 'over polling'), 'over polling');
      strictEqual(client.transport(), 'polling');
    });

    h.test(`${generation.name}: connects and talks over websocket`, async () => {
      const r = await h.start();
      const client = await h.connect(r, generation, { transports: ['websocket'] });
      strictEqual(await client.ask('echo', 'over websocket'), 'over websocket');
      strictEqual(client.transport(), 'websocket');
    });

    if (generation.upgrades) {
      h.test(`${generation.name}: upgrades from polling to websocket`, async () => {
        const r = await h.start();
        const client = await h.connect(r, generation);
        await until(() => client.transport() === 'websocket', 'the upgrade');
        strictEqual(await client.ask('echo', 'upgraded'), 'upgraded');
      });
    }

    if (generation.sendsHeaders) {
      h.test(`${generation.name}: the framework's auth reaches the socket`, async () => {
        const r = await h.start();
        for (const transports of [['polling'], ['websocket']] as const) {
          const client = await h.connect(r, generation, { transports, headers: { authorization: 'Bearer alice' } });
          strictEqual(await client.ask('whoami', ''), 'alice', `over ${transports[0]}`);
        }
      });
    }
  }
}

/** What the framework and the Server share: its routes, its auth, its upgrade listeners, and the raw protocol beside them. */
export function httpCases(h: AdapterHarness): void {
  h.test('raw polling: handshake, connect packet and a held long-poll', async () => {
    const r = await h.start();
    const url = `${r.base}${r.io.engine.options.path}?EIO=4&transport=polling`;
    const open = await (await fetch(url)).text();
    ok(open.startsWith('0{'), `open packet, got ${open}`);
    const { sid } = JSON.parse(open.slice(1)) as { sid: string };
    const pushed = await fetch(`${url}&sid=${sid}`, { method: 'POST', body: '40', headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    deepStrictEqual([pushed.status, await pushed.text()], [200, 'ok']);
    ok((await (await fetch(`${url}&sid=${sid}`)).text()).startsWith('40{"sid":'));
    const held = fetch(`${url}&sid=${sid}`).then((res) => res.text());
    await until(() => r.io.engine.sessions.get(sid)?.writable === true, 'the server to hold the poll');
    r.io.emit('news', 'held');
    strictEqual(await held, '42["news","held"]');
  });

  h.test('an unknown sid is answered 400 with its JSON code', async () => {
    const r = await h.start();
    const res = await fetch(`${r.base}${r.io.engine.options.path}?EIO=4&transport=polling&sid=nope`);
    strictEqual(res.status, 400);
    ok(res.headers.get('content-type')?.startsWith('application/json'));
    deepStrictEqual(await res.json(), { code: 1, message: 'Session ID unknown' });
  });

  h.test('0.9 protocol: a handshake under <path>1/ and the held streaming answers (htmlfile, xhr-multipart)', async () => {
    const r = await h.start();
    for (const transport of ['htmlfile', 'xhr-multipart']) {
      const sid = await legacyHandshake(r.base, r.io.engine.options.path);
      const stream = await openStream(`${r.base}${r.io.engine.options.path}1/${transport}/${sid}`);
      r.streams.push(stream);
      await until(() => stream.text().includes('1::'), `the ${transport} connect packet`);
      r.io.emit('news', `streamed over ${transport}`);
      await until(() => stream.text().includes(`streamed over ${transport}`), `an event over ${transport}`);
    }
  });

  h.test('a CORS preflight is answered with the Server’s cors options', async () => {
    const r = await h.start();
    const res = await fetch(`${r.base}${r.io.engine.options.path}?EIO=4&transport=polling`, {
      method: 'OPTIONS',
      headers: { origin: 'http://allowed.example', 'access-control-request-method': 'POST' },
    });
    ok(res.status === 204 || res.status === 200, `status ${res.status}`);
    strictEqual(res.headers.get('access-control-allow-origin'), 'http://allowed.example');
    strictEqual(res.headers.get('access-control-allow-credentials'), 'true');
  });

  h.test('a custom path is served, and the default path is left to the framework', async () => {
    const r = await h.start({ path: '/realtime' });
    for (const generation of h.generations) {
      for (const transports of [['polling'], ['websocket']] as const) {
        const client = await h.connect(r, generation, { transports });
        strictEqual(await client.ask('echo', 'custom'), 'custom', `${generation.name} over ${transports[0]}`);
      }
    }
    const other = await fetch(`${r.base}/socket.io/?EIO=4&transport=polling`);
    strictEqual(other.status, 404);
    await other.arrayBuffer();
  });

  h.test('the framework’s own routes still answer', async () => {
    const r = await h.start();
    const res = await fetch(`${r.base}/health`);
    deepStrictEqual([res.status, await res.text()], [200, 'ok']);
    const missing = await fetch(`${r.base}/nowhere`);
    strictEqual(missing.status, 404);
    await missing.arrayBuffer();
  });

  h.test('the framework’s auth refuses a request before the handshake', async () => {
    const r = await h.start();
    const nobody = { authorization: 'Bearer nobody' };
    // Every generation's handshake: Engine.IO v4, v3, and the 0.9 protocol's under `<path>1/`.
    for (const query of ['?EIO=4&transport=polling', '?EIO=3&transport=polling', '1/?t=1']) {
      const res = await fetch(`${r.base}${r.io.engine.options.path}${query}`, { headers: nobody });
      strictEqual(res.status, 401, query);
      await res.arrayBuffer();
    }
    for (const query of ['?EIO=4&transport=websocket', '?EIO=3&transport=websocket', '1/websocket/anyone']) {
      strictEqual(await upgradeStatus(`ws://127.0.0.1:${r.port}${r.io.engine.options.path}${query}`, nobody), 401, query);
    }
    strictEqual(r.io.engine.sessionCount, 0);
    strictEqual(r.io.legacyEngine?.sessions.size, 0);
  });

  h.test('another upgrade listener on the same server keeps working', async () => {
    const r = await h.start();
    const wss = new WebSocketServer({ noServer: true });
    wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, { binary })));
    const other = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      if (req.url === '/other') wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    };
    r.app.server.on('upgrade', other);
    try {
      const peer = new WebSocket(`ws://127.0.0.1:${r.port}/other`);
      const echoed = new Promise<string>((resolve, reject) => {
        peer.once('open', () => peer.send('mine'));
        peer.once('message', (data: Buffer) => resolve(data.toString()));
        peer.once('error', reject);
      });
      strictEqual(await echoed, 'mine');
      peer.terminate();
      for (const generation of h.generations) {
        const client = await h.connect(r, generation, { transports: ['websocket'] });
        strictEqual(await client.ask('echo', 'still here'), 'still here', generation.name);
      }
    } finally {
      r.app.server.off('upgrade', other);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    }
  });
}

/** Closing the Server alone, and closing the framework with clients of every generation connected. */
export function closeCases(h: AdapterHarness): void {
  h.test('closing the Server alone disconnects its clients and leaves the framework serving', async () => {
    const r = await h.start();
    const clients = await Promise.all(h.generations.map((generation) => h.connect(r, generation, { transports: ['websocket'] })));
    await r.io.close();
    await within(Promise.all(clients.map((client) => client.disconnected)), CLOSE_BUDGET_MS, 'the clients to see their disconnection');
    ok(r.app.server.listening, 'the framework’s server must still listen');
    const res = await fetch(`${r.base}/health`);
    deepStrictEqual([res.status, await res.text()], [200, 'ok']);
  });

  /** The case below: TCP handles back to `baseline`, and no server-side timer left pending. */
  const closeWithClients = async (timers: ServerSideTimers, baseline: number): Promise<void> => {
    const r = await h.start({}, { onServerSide: (fn) => timers.run(fn) });
    // Every generation, on polling and websocket, and a held 0.9 htmlfile and xhr-multipart stream.
    const clients = await Promise.all(
      Array.from({ length: CLIENTS_AT_CLOSE }, (_, i) =>
        h.connect(r, h.generations[i % h.generations.length]!, { transports: Math.floor(i / h.generations.length) % 4 === 0 ? ['polling'] : ['websocket'] }),
      ),
    );
    const streams = await Promise.all(
      ['htmlfile', 'xhr-multipart'].map(async (transport) => {
        const stream = await openStream(`${r.base}${r.io.engine.options.path}1/${transport}/${await legacyHandshake(r.base, r.io.engine.options.path)}`);
        r.streams.push(stream);
        return stream;
      }),
    );
    await until(() => r.io.sockets.sockets.size === CLIENTS_AT_CLOSE + streams.length, 'every client in the main namespace');
    const startedAt = Date.now();
    await within(timers.run(() => r.app.close()), CLOSE_BUDGET_MS, 'closing the framework');
    ok(Date.now() - startedAt <= CLOSE_BUDGET_MS);
    await within(Promise.all(clients.map((client) => client.disconnected)), CLOSE_BUDGET_MS, 'every client to see its disconnection');
    await within(Promise.all(streams.map((stream) => stream.ended)), CLOSE_BUDGET_MS, 'every 0.9 stream to end');
    strictEqual(r.app.server.listening, false);
    strictEqual(r.io.engine.sessionCount, 0);
    strictEqual(r.io.legacyEngine?.sessions.size, 0);
    await until(() => tcpHandles() <= baseline, `TCP handles back to ${baseline} (${tcpHandles()} when the wait began)`, CLOSE_BUDGET_MS);
    await until(() => timers.pending === 0, `no server-side timer pending (${timers.pending} when the wait began)`, CLOSE_BUDGET_MS);
  };

  h.test(`closing the framework with ${CLIENTS_AT_CLOSE} connected clients resolves within ${CLOSE_BUDGET_MS} ms and leaves no handle open`, async () => {
    await sleep(100); // let the previous case's sockets finish closing
    const baseline = tcpHandles();
    const timers = new ServerSideTimers();
    try {
      await closeWithClients(timers, baseline);
    } finally {
      timers.stop();
    }
  });
}

/**
 * The framework's session (the options' `session`, for a framework that has one) on the framework's request
 * of a socket and of a class namespace, for every generation that can send the session's cookie.
 */
export function sessionCases(h: AdapterHarness): void {
  const session = h.options.session;
  if (session === undefined) return;
  h.test("the framework's session reaches io.requestOf(socket) and a class namespace's this.request, over polling and websocket", async () => {
    const r = await h.start({}, { createApp: session.createApp });
    const { io } = r;
    io.register(
      '/class',
      class extends BaseNamespace {
        onName(): unknown {
          return { name: session.nameOf(this.request), same: this.request === io.requestOf(this.socket) };
        }
      },
    );
    io.on('connection', (socket) => {
      socket.on('name', (_value: unknown, ack: (name: unknown) => void) => ack(session.nameOf(io.requestOf(socket))));
    });
    const login = await fetch(`${r.base}/login`);
    strictEqual(login.status, 200, 'GET /login');
    await login.arrayBuffer();
    const cookie = login.headers.getSetCookie().map((set) => set.split(';')[0]).join('; ');
    for (const generation of h.generations.filter((g) => g.sendsHeaders)) {
      for (const transports of [['polling'], ['websocket']] as const) {
        const over = `${generation.name} over ${transports[0]}`;
        const main = await h.connect(r, generation, { transports, headers: { cookie } });
        strictEqual(await main.ask('name', ''), 'ada', over);
        const inClass = await h.connect(r, generation, { url: `${r.base}/class`, transports, headers: { cookie } });
        deepStrictEqual(await inClass.ask('name', ''), { name: 'ada', same: true }, `class namespace: ${over}`);
      }
    }
  });
}
