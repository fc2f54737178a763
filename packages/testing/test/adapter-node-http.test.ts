// The adapter suite against the smallest possible framework: a bare node-http request listener with its own
// auth and /health, mounted with the server/ layer's helpers alone. It is the reference the adapters follow.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { bridgeUpgrades, closeWithServer, refuseAttachedServer, serveFrameworkRequest } from '@switchyard/core';
import { runAdapterConformance } from '../src/index.js';

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
