// What every adapter case stands on: the options an adapter's test file gives, starting its app around a
// fresh Server, connecting clients of a generation, naming and skipping cases, and tearing it all down
// after each case. The cases themselves are in adapter-cases.ts.
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions, type Socket } from '@switchyard/core';
import type { TestApi } from './cluster-suite.js';
import type { ClientGeneration, GenerationConnectOptions, GenerationClient } from './client-generation.js';
import { clientGenerations } from './client-generations.js';
import type { HeldStream } from './http-probes.js';

/** A framework app with the Server mounted through the adapter under test, listening on 127.0.0.1. */
export interface AdapterApp {
  /** The http server the framework listens on. */
  server: HttpServer;
  /** Closes the framework its own way (`server.close()`, `fastify.close()`, `server.stop()`…). */
  close(): Promise<void>;
  /** The user the framework's auth put on the request that opened this socket's connection. */
  userOf(socket: Socket): unknown;
}

type CreateApp = (options: { io: Server }) => Promise<AdapterApp>;

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
  createApp: CreateApp;
  /**
   * The framework's own session, for a framework that has one: `createApp` builds the same app with the
   * framework's session middleware in front of the Server and a `GET /login` route that stores the name
   * `ada` in the session (its cookie in the answer); `nameOf` reads the session's name from the
   * framework's request (`io.requestOf(socket)`, a class namespace's `this.request`).
   */
  session?: { createApp: CreateApp; nameOf(request: unknown): unknown };
  /** Cases this adapter cannot pass, by exact name, and why. */
  skip?: readonly { reason: string; tests: readonly string[] }[];
  /** The client generations to run every per-generation case with. Default: all the core supports. */
  generations?: readonly ClientGeneration[];
}

/** `TestApi` plus the runner's way to report a skipped case (vitest's `it.skip`), if it has one. */
export interface AdapterTestApi extends TestApi {
  skip?(name: string, fn: () => Promise<void>): void;
}

/** One case's app: the Server, the framework around it, and what the case opened (closed after it). */
export interface Running {
  io: Server;
  app: AdapterApp;
  base: string;
  port: number;
  clients: GenerationClient[];
  streams: HeldStream[];
}

export interface StartOptions {
  /** Runs the creation of the Server and the app (a `ServerSideTimers` watch). */
  onServerSide?: <T>(fn: () => T) => T;
  /** Another app than the options' `createApp` (the session's). */
  createApp?: CreateApp;
}

/** What the cases use: see {@link adapterHarness}. */
export interface AdapterHarness {
  options: AdapterSuiteOptions;
  generations: readonly ClientGeneration[];
  /** Declares a case (once per name), or reports it skipped with the adapter's reason. */
  test(name: string, fn: () => Promise<void>): void;
  /** A fresh Server (with `echo` and `whoami` handlers) in a fresh app, closed after the case. */
  start(serverOptions?: ServerOptions, how?: StartOptions): Promise<Running>;
  /** A client of `generation` on `r` (polling then websocket unless `extra` says), closed after the case. */
  connect(r: Running, generation: ClientGeneration, extra?: Partial<GenerationConnectOptions>): Promise<GenerationClient>;
}

/** The harness of one adapter's suite; `api.afterEach` closes what each case opened. */
export function adapterHarness(api: AdapterTestApi, options: AdapterSuiteOptions): AdapterHarness & { skipped: Map<string, string>; declared: Set<string> } {
  const skipped = new Map<string, string>();
  for (const { reason, tests } of options.skip ?? []) for (const test of tests) skipped.set(test, reason);
  const declared = new Set<string>();
  let running: Running | undefined;

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

  return {
    options,
    generations: options.generations ?? clientGenerations,
    skipped,
    declared,
    test(name, fn) {
      if (declared.has(name)) throw new Error(`two adapter cases named "${name}"`);
      declared.add(name);
      const reason = skipped.get(name);
      if (reason === undefined) api.it(name, fn);
      else api.skip?.(`${name} (skipped: ${reason})`, fn);
    },
    async start(serverOptions = {}, how = {}) {
      const onServerSide = how.onServerSide ?? (<T>(fn: () => T): T => fn());
      const createApp = how.createApp ?? options.createApp;
      const io = onServerSide(() => new Server({ cors: { origin: 'http://allowed.example', credentials: true }, ...serverOptions }));
      const app = await onServerSide(() => createApp({ io }));
      io.on('connection', (socket) => {
        socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
        socket.on('whoami', (_value: unknown, ack: (v: unknown) => void) => ack(String(app.userOf(socket))));
      });
      const { port } = app.server.address() as AddressInfo;
      running = { io, app, port, base: `http://127.0.0.1:${port}`, clients: [], streams: [] };
      return running;
    },
    async connect(r, generation, extra = {}) {
      const client = await generation.connect({ url: r.base, path: r.io.path(), transports: ['polling', 'websocket'], ...extra });
      r.clients.push(client);
      return client;
    },
  };
}
