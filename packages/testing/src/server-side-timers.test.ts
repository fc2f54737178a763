import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeUpgrades, closeWithServer, serveFrameworkRequest } from '@switchyard/core';
import { runAdapterConformance, type AdapterTestApi } from './adapter-suite.js';
import { ServerSideTimers } from './server-side-timers.js';

describe('ServerSideTimers', () => {
  let watch: ServerSideTimers | undefined;
  let server: HttpServer | undefined;
  const timers: NodeJS.Timeout[] = [];
  afterEach(async () => {
    for (const timer of timers.splice(0)) clearTimeout(timer);
    watch?.stop();
    if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it('counts the ref’d timers a request to a server started in run() leaves, not the test’s or unref’d ones, until they are cleared', async () => {
    const watched = (watch = new ServerSideTimers());
    server = watched.run(() =>
      createServer((req, res) => {
        timers.push(setTimeout(() => {}, 60_000));
        if (req.url === '/unref') timers.push(setTimeout(() => {}, 60_000).unref());
        res.end('ok');
      }).listen(0, '127.0.0.1'),
    );
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    timers.push(setTimeout(() => {}, 60_000)); // the test's own
    expect(watched.pending).toBe(0);
    await (await fetch(`${base}/`, { headers: { connection: 'close' } })).text();
    await (await fetch(`${base}/unref`, { headers: { connection: 'close' } })).text();
    await expect.poll(() => watched.pending).toBe(2);
    for (const timer of timers.splice(0)) clearTimeout(timer);
    await expect.poll(() => watched.pending).toBe(0);
  });
});

describe('the adapter suite’s close case', () => {
  it('fails when the server side leaves a timer pending', async () => {
    const cases = new Map<string, () => Promise<void>>();
    const after: (() => Promise<void>)[] = [];
    const api: AdapterTestApi = {
      describe: (_name, fn) => fn(),
      it: (name, fn) => void cases.set(name, fn),
      beforeEach: () => {},
      afterEach: (fn) => void after.push(fn),
    };
    const leaked: NodeJS.Timeout[] = [];
    runAdapterConformance(api, {
      name: 'a leaky node:http app',
      createApp: async ({ io }) => {
        const server = createServer((req, res) => {
          if (!serveFrameworkRequest(io, req, res)) res.writeHead(404).end();
        });
        bridgeUpgrades(server, io);
        closeWithServer(server, io);
        io.on('connection', () => leaked.push(setTimeout(() => {}, 60_000)));
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return { server, close: () => new Promise<void>((resolve) => server.close(() => resolve())), userOf: () => undefined };
      },
    });
    const close = [...cases].find(([name]) => name.startsWith('closing the framework'))?.[1];
    try {
      await expect(close!()).rejects.toThrow(/server-side timer pending/);
    } finally {
      for (const timer of leaked) clearTimeout(timer);
      for (const fn of after) await fn();
    }
  });
});
