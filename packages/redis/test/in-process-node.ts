// A Switchyard Server with its own RedisCluster in this process, on a free port, for the in-process tests.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from '@switchyard/core';
import type { Cluster, Redis } from 'ioredis';
import { RedisCluster, type RedisClusterOptions } from '../src/index.js';

export interface InProcessNode {
  io: Server;
  http: HttpServer;
  cluster: RedisCluster;
  port: number;
  close(): Promise<void>;
}

/**
 * `client` is this node's own Redis connection (and `options.subClient` its subscriber, when given);
 * both are disconnected by `close()`.
 */
export async function inProcessNode(key: string, client: Redis | Cluster, options: Partial<RedisClusterOptions> & { subClient?: Redis | Cluster; server?: Partial<ServerOptions> } = {}): Promise<InProcessNode> {
  const { server: serverOptions, ...clusterOptions } = options;
  const cluster = new RedisCluster({ client, key, forwardTimeout: 3000, ...clusterOptions });
  const http = createServer();
  const io = new Server(http, { adapter: cluster.adapter, router: cluster.router, pingInterval: 300, pingTimeout: 600, ...serverOptions });
  io.on('connection', (socket) => socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value)));
  await cluster.ready();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const close = async (): Promise<void> => {
    await io.close();
    await cluster.close();
    client.disconnect();
    options.subClient?.disconnect();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  };
  return { io, http, cluster, port: (http.address() as AddressInfo).port, close };
}
