// The nodes of the in-process fleets the redis tests build on one Redis key: a socket.io 4.8 node with
// @socket.io/redis-adapter, as its README sets it up, and the RedisCluster a Switchyard node joins with.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server as SocketIoServer } from 'socket.io';
import { RedisCluster } from '../src/index.js';
import { newClient } from './redis-env.js';

/** Listens on an ephemeral port of 127.0.0.1; resolves with the server's url. */
export async function listen(http: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

export interface MixedFleet {
  /** The socket.io node, listening at `sioUrl`. */
  sio: SocketIoServer;
  sioUrl: string;
  /** For the Switchyard node: `new Server(http, { adapter: cluster.adapter })`. */
  cluster: RedisCluster;
  /** Closes the socket.io node, the cluster and their Redis clients (close the Switchyard node first). */
  close(): Promise<void>;
}

/** A socket.io node and a RedisCluster on `key`. */
export async function mixedFleet(key: string): Promise<MixedFleet> {
  const pub = newClient();
  const sub = newClient();
  const sioHttp = createServer();
  const sio = new SocketIoServer(sioHttp, { adapter: createAdapter(pub, sub, { key }) });
  const redis = newClient();
  const cluster = new RedisCluster({ client: redis, key });
  return {
    sio,
    sioUrl: await listen(sioHttp),
    cluster,
    async close() {
      sio.close();
      pub.disconnect();
      sub.disconnect();
      await cluster.close();
      redis.disconnect();
    },
  };
}
