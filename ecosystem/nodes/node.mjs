// One cluster node in its own process, for forkClusterNodes: a Switchyard Server, or with NODE_SERVER=socket.io
// a socket.io 4 Server (a mixed fleet), joined by the adapter named by ADAPTER (see adapters.mjs) on the
// channels of CLUSTER_KEY. RECOVERY=1 turns connection state recovery on.
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { clusterNodeIndexes, serveClusterNode } from '@switchyard/testing';
import { Server as SocketIoServer } from 'socket.io';
import { adapters } from './adapters.mjs';

const [index] = clusterNodeIndexes();
const made = await adapters[process.env.ADAPTER](process.env.CLUSTER_KEY);
const http = createServer();
const socketIo = process.env.NODE_SERVER === 'socket.io';
const options = {
  adapter: made.adapter,
  ...(process.env.RECOVERY === '1' && { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } }),
};
const server = socketIo ? new SocketIoServer(http, { ...options, allowEIO3: true }) : new Server(http, options);
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
serveClusterNode({
  server,
  index,
  url: `http://127.0.0.1:${http.address().port}`,
  // socket.io 4 serves socket.io-client 4 and (with allowEIO3) 2.x, not 0.9.
  ...(socketIo && { serves: ['socket.io-client@4', 'socket.io-client@2.5.0'] }),
  close: async () => {
    await server.close();
    await made.close();
  },
});
