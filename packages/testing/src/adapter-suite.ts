import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import { createServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { Server, type ServerOptions, type Socket } from '@switchyard/core';
import type { TestApi } from './cluster-suite.js';
import type { ClientGeneration, GenerationClient } from './client-generation.js';
import { clientGenerations } from './client-generations.js';
import { type HeldStream, legacyHandshake, openStream, tcpHandles, upgradeStatus } from './http-probes.js';
import { sleep, until, within } from './wait.js';
import { ServerSideTimers } from './server-side-timers.js';

/** A framework app with the Server mounted through the adapter under test, listening on 127.0.0.1. */
export interface AdapterApp {
  /** The http server the framework listens on. */
  server: HttpServer;
  /** Closes the framework its own way (`server.close()`, `fastify.close()`, `server.stop()`…). */
  close(): Promise<void>;
  /** The user the framework's auth put on the request that opened this socket's connection. */
  userOf(socket: Socket): unknown;
}

/**
 * What `createApp` must build around the `io` it is given:
 * - `io` mounted with the adapter;
 * - `GET /health` answered 200 `ok` by the framework itself;
 * - the framework's own auth (middleware, hook or strategy) in front of the Server: a request with
 *   `Authorization: Bearer NAME` is the user NAME (`userOf`), except `Bearer nobody`, refused with 401
 *   before the Server sees it; a request without the header passes.
 */
export interface AdapterSuiteOptions {
  name: string;
  createApp(options: { io: Server }): Promise<AdapterApp>;
  /** Cases this adapter cannot pass, by exact name, and why. */
  skip?: readonly { reason: string; tests: readonly string[] }[];
  /** The client generations to run every per-generation case with. Default: all the core supports. */
  generations?: readonly ClientGeneration[];
}

/** `TestApi` plus the runner's way to report a skipped case (vitest's `it.skip`), if it has one. */
export interface AdapterTestApi extends TestApi {
  skip?(name: string, fn: () => Promise<void>): void;
}

interface Running {
  io: Server;
  app: AdapterApp;
  base: string;
  port: number;
  clients: GenerationClient[];
  streams: HeldStream[];
}

const CLOSE_BUDGET_MS = 2000;
const CLIENTS_AT_CLOSE = 100;

/**
 * The adapter conformance suite, in the pattern of Hono's shared router tests: each adapter's test file
 * calls it with a `createApp` and adds its framework's own cases.
 */
export function runAdapterConformance(api: AdapterTestApi, options: AdapterSuiteOptions): void {
  const skipped = new Map<string, string>();
  for (const { reason, tests } of options.skip ?? []) for (const test of tests) skipped.set(test, reason);
  const declared = new Set<string>();
  const generations = options.generations ?? clientGenerations;
  let running: Running | undefined;

  /** `onServerSide` runs the creation of the Server and the app (a {@link ServerSideTimers} watch). */
  const start = async (serverOptions: ServerOptions = {}, onServerSide = <T>(fn: () => T): T => fn()): Promise<Running> => {
    const io = onServerSide(() => new Server({ cors: { origin: 'http://allowed.example', credentials: true }, ...serverOptions }));
    const app = await onServerSide(() => options.createApp({ io }));
    io.on('connection', (socket) => {
      socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
      socket.on('whoami', (_value: unknown, ack: (v: unknown) => void) => ack(String(app.userOf(socket))));
    });
    const { port } = app.server.address() as AddressInfo;
    running = { io, app, port, base: `http://127.0.0.1:${port}`, clients: [], streams: [] };
    return running;
  };

  const connect = async (r: Running, generation: ClientGeneration, extra: Partial<Parameters<ClientGeneration['connect']>[0]> = {}) => {
    const client = await generation.connect({ url: r.base, path: r.io.path(), transports: ['polling', 'websocket'], ...extra });
    r.clients.push(client);
    return client;
  };

  const test = (name: string, fn: () => Promise<void>): void => {
    if (declared.has(name)) throw new Error(`two adapter cases named "${name}"`);
    declared.add(name);
    const reason = skipped.get(name);
    if (reason === undefined) api.it(name, fn);
    else api.skip?.(`${name} (skipped: ${reason})`, fn);
  };

  api.describe(`adapter conformance: ${options.name}`, () => {
    api.beforeEach(async () => {
      running = undefined;
    });

    api.afterEach(async () => {
      const r = running;
      running = undefined;
      if (r === undefined) return;
      for (const client of r.clients) client.close();
      for (const stream of r.streams) stream.close();
      if (r.app.server.listening) await r.app.close();
      await r.io.close();
    });

    test('refuses a Server already attached to an http server, whose own listener would bypass the framework', async () => {
      const io = new Server(createServer());
      try {
        await rejects(async () => options.createApp({ io }), /already attached to an http server/);
      } finally {
        await io.close();
      }
    });

    for (const generation of generations) {
      test(`${generation.name}: connects and talks over long-polling`, async () => {
        const r = await start();
        const client = await connect(r, generation, { transports: ['polling'] });
        strictEqual(await client.ask('echo', 'over polling'), 'over polling');
        strictEqual(client.transport(), 'polling');
      });

      test(`${generation.name}: connects and talks over websocket`, async () => {
        const r = await start();
        const client = await connect(r, generation, { transports: ['websocket'] });
        strictEqual(await client.ask('echo', 'over websocket'), 'over websocket');
        strictEqual(client.transport(), 'websocket');
      });

      if (generation.upgrades) {
        test(`${generation.name}: upgrades from polling to websocket`, async () => {
          const r = await start();
          const client = await connect(r, generation);
          await until(() => client.transport() === 'websocket', 'the upgrade');
          strictEqual(await client.ask('echo', 'upgraded'), 'upgraded');
        });
      }

      if (generation.sendsHeaders) {
        test(`${generation.name}: the framework's auth reaches the socket`, async () => {
          const r = await start();
          for (const transports of [['polling'], ['websocket']] as const) {
            const client = await connect(r, generation, { transports, headers: { authorization: 'Bearer alice' } });
            strictEqual(await client.ask('whoami', ''), 'alice', `over ${transports[0]}`);
          }
        });
      }
    }

    test('raw polling: handshake, connect packet and a held long-poll', async () => {
      const r = await start();
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

    test('an unknown sid is answered 400 with its JSON code', async () => {
      const r = await start();
      const res = await fetch(`${r.base}${r.io.engine.options.path}?EIO=4&transport=polling&sid=nope`);
      strictEqual(res.status, 400);
      ok(res.headers.get('content-type')?.startsWith('application/json'));
      deepStrictEqual(await res.json(), { code: 1, message: 'Session ID unknown' });
    });

    test('0.9 protocol: a handshake under <path>1/ and the held streaming answers (htmlfile, xhr-multipart)', async () => {
      const r = await start();
      for (const transport of ['htmlfile', 'xhr-multipart']) {
        const sid = await legacyHandshake(r.base, r.io.engine.options.path);
        const stream = await openStream(`${r.base}${r.io.engine.options.path}1/${transport}/${sid}`);
        r.streams.push(stream);
        await until(() => stream.text().includes('1::'), `the ${transport} connect packet`);
        r.io.emit('news', `streamed over ${transport}`);
        await until(() => stream.text().includes(`streamed over ${transport}`), `an event over ${transport}`);
      }
    });

    test('a CORS preflight is answered with the Server’s cors options', async () => {
      const r = await start();
      const res = await fetch(`${r.base}${r.io.engine.options.path}?EIO=4&transport=polling`, {
        method: 'OPTIONS',
        headers: { origin: 'http://allowed.example', 'access-control-request-method': 'POST' },
      });
      ok(res.status === 204 || res.status === 200, `status ${res.status}`);
      strictEqual(res.headers.get('access-control-allow-origin'), 'http://allowed.example');
      strictEqual(res.headers.get('access-control-allow-credentials'), 'true');
    });

    test('a custom path is served, and the default path is left to the framework', async () => {
      const r = await start({ path: '/realtime' });
      for (const generation of generations) {
        for (const transports of [['polling'], ['websocket']] as const) {
          const client = await connect(r, generation, { transports });
          strictEqual(await client.ask('echo', 'custom'), 'custom', `${generation.name} over ${transports[0]}`);
        }
      }
      const other = await fetch(`${r.base}/socket.io/?EIO=4&transport=polling`);
      strictEqual(other.status, 404);
      await other.arrayBuffer();
    });

    test('the framework’s own routes still answer', async () => {
      const r = await start();
      const res = await fetch(`${r.base}/health`);
      deepStrictEqual([res.status, await res.text()], [200, 'ok']);
      const missing = await fetch(`${r.base}/nowhere`);
      strictEqual(missing.status, 404);
      await missing.arrayBuffer();
    });

    test('the framework’s auth refuses a request before the handshake', async () => {
      const r = await start();
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

    test('another upgrade listener on the same server keeps working', async () => {
      const r = await start();
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
        for (const generation of generations) {
          const client = await connect(r, generation, { transports: ['websocket'] });
          strictEqual(await client.ask('echo', 'still here'), 'still here', generation.name);
        }
      } finally {
        r.app.server.off('upgrade', other);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
      }
    });

    test('closing the Server alone disconnects its clients and leaves the framework serving', async () => {
      const r = await start();
      const clients = await Promise.all(generations.map((generation) => connect(r, generation, { transports: ['websocket'] })));
      await r.io.close();
      await within(Promise.all(clients.map((client) => client.disconnected)), CLOSE_BUDGET_MS, 'the clients to see their disconnection');
      ok(r.app.server.listening, 'the framework’s server must still listen');
      const res = await fetch(`${r.base}/health`);
      deepStrictEqual([res.status, await res.text()], [200, 'ok']);
    });

    /** The case below: TCP handles back to `baseline`, and no server-side timer left pending. */
    const closeWithClients = async (timers: ServerSideTimers, baseline: number): Promise<void> => {
      const r = await start({}, (fn) => timers.run(fn));
      // Every generation, on polling and websocket, and a held 0.9 htmlfile and xhr-multipart stream.
      const clients = await Promise.all(
        Array.from({ length: CLIENTS_AT_CLOSE }, (_, i) =>
          connect(r, generations[i % generations.length]!, { transports: Math.floor(i / generations.length) % 4 === 0 ? ['polling'] : ['websocket'] }),
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

    test(`closing the framework with ${CLIENTS_AT_CLOSE} connected clients resolves within ${CLOSE_BUDGET_MS} ms and leaves no handle open`, async () => {
      await sleep(100); // let the previous case's sockets finish closing
      const baseline = tcpHandles();
      const timers = new ServerSideTimers();
      try {
        await closeWithClients(timers, baseline);
      } finally {
        timers.stop();
      }
    });

    for (const name of skipped.keys()) {
      if (!declared.has(name)) throw new Error(`skip names a case that does not exist: "${name}"`);
    }
  });
}
