// node:cluster with @socket.io/cluster-adapter: this primary forks one worker per node (the nodes of
// CLUSTER_NODE_FIRST/COUNT) and relays the test's messages to them. Each worker is a Switchyard node (or a
// socket.io 4 node with NODE_SERVER=socket.io) on a port of its own. With STICKY=1, the primary also
// listens on one shared port behind @socket.io/sticky, which routes each polling request to the worker
// that holds its session; every node then reports that shared port as its url.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { createAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import { Server } from '@switchyard/core';
import { clusterNodeIndexes, relayClusterNode, serveClusterNode } from '@switchyard/testing';
import { Server as SocketIoServer } from 'socket.io';

const sticky = process.env.STICKY === '1';

if (cluster.isPrimary) {
  setupPrimary();
  // Buffers in the test's messages (and the adapter's) cross to the workers as Buffers.
  cluster.setupPrimary({ serialization: 'advanced' });
  let stickyUrl;
  let front;
  if (sticky) {
    front = createServer();
    setupMaster(front, { loadBalancingMethod: 'round-robin' });
    await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
    stickyUrl = `http://127.0.0.1:${front.address().port}`;
  }
  const indexes = clusterNodeIndexes();
  let alive = indexes.length;
  for (const index of indexes) {
    const worker = cluster.fork({ CLUSTER_NODE_FIRST: String(index), CLUSTER_NODE_COUNT: '1', ...(stickyUrl !== undefined && { STICKY_URL: stickyUrl }) });
    relayClusterNode(worker, index);
    // A client connection that closes after its worker has left (or while it is leaving) makes sticky
    // send to a closed channel (ERR_IPC_CHANNEL_CLOSED) or to one whose other end is gone (EPIPE); that is
    // the end of a connection nobody is waiting for, not a reason for the primary to crash.
    worker.on('error', (err) => {
      if (err.code !== 'ERR_IPC_CHANNEL_CLOSED' && err.code !== 'EPIPE') throw err;
    });
    worker.once('exit', () => {
      if (--alive > 0) return;
      front?.close();
      process.disconnect();
      // Connections sticky handed over may still hold the front server's handle: the primary has no more to do.
      setTimeout(() => process.exit(0), 500).unref();
    });
  }
} else {
  const [index] = clusterNodeIndexes();
  const http = createServer();
  const socketIo = process.env.NODE_SERVER === 'socket.io';
  const options = { adapter: createAdapter() };
  const server = socketIo ? new SocketIoServer(http, { ...options, allowEIO3: true }) : new Server(http, options);
  // A port of its own (not the primary's shared handle), so the suite can reach each node.
  await new Promise((resolve) => http.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve));
  if (sticky) setupWorker(server);
  serveClusterNode({
    server,
    index,
    url: process.env.STICKY_URL ?? `http://127.0.0.1:${http.address().port}`,
    ...(socketIo && { serves: ['socket.io-client@4', 'socket.io-client@2.5.0'] }),
    close: async () => {
      await server.close();
    },
  });
}
