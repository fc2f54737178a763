// bridgeUpgrades (the server/ layer's helper every framework adapter mounts with) when the framework fails.
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Server, bridgeUpgrades } from '../src/index.js';
import { refusedUpgrade } from './helpers.js';

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
