// The adapter suite against the smallest possible framework: a bare node-http request listener with its own
// auth and /health, mounted with the server/ layer's helpers alone. It is the reference the adapters follow.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server, bridgeUpgrades, closeWithServer, refuseAttachedServer, serveFrameworkRequest } from '../src/index.js';
import { runAdapterConformance } from '../src/testing/index.js';
import { refusedUpgrade } from './helpers.js';

type AuthedRequest = IncomingMessage & { user?: string };

runAdapterConformance(
  { describe, it, beforeEach, afterEach, skip: it.skip },
  {
    name: 'bare node:http',
    createApp: async ({ io }) => {
      refuseAttachedServer(io, 'node:http');
      const server: HttpServer = createServer((req: AuthedRequest, res) => {
        const user = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (user === 'nobody') return void res.writeHead(401).end('who are you?');
        if (user !== undefined) req.user = user;
        if (serveFrameworkRequest(io, req, res, { user })) return;
        if (req.url === '/health') res.end('ok');
        else res.writeHead(404).end('Not Found');
      });
      bridgeUpgrades(server, io);
      closeWithServer(server, io);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return {
        server,
        close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
        userOf: (socket) => io.requestOf<{ user?: string }>(socket).user,
      };
    },
  },
);

describe('bridgeUpgrades', () => {
  let server: HttpServer;
  let io: Server;
  afterEach(async () => {
    await io.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 500 when the framework throws on a handshake, and 404 to an upgrade nobody wants', async () => {
    io = new Server();
    server = createServer();
    bridgeUpgrades(server, io, {
      dispatch: () => {
        throw new Error('a broken framework');
      },
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    expect((await refusedUpgrade(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`)).status).toBe(500);
    expect((await refusedUpgrade(`ws://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
  });
});
