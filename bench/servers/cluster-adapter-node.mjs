// The two nodes of the @socket.io/cluster-adapter bench row: this process is the node:cluster primary
// (forked by adapters-run.mjs); it forks two workers, each a Switchyard Server or, with
// BENCH_SERVER=socket.io, a socket.io 4.8 Server, joined by the cluster adapter through this primary.
// The orchestrator addresses a worker with `node: 0 | 1` in its command; each reply comes back with its
// type suffixed by the worker's index (`cpu:1`), so the two nodes' answers never cross. `{ cmd: 'cpu' }`
// without `node` is answered by the primary itself: it relays every adapter message between the workers,
// a cost neither node's own CPU shows.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Server } from '@switchyard/core';
import { Server as SocketIoServer } from 'socket.io';
import { clusterAdapter, setupClusterPrimary } from '../../ecosystem/nodes/adapters.mjs';
import { serve } from './harness.mjs';

const NODES = 2;

if (cluster.isPrimary) {
  setupClusterPrimary();
  cluster.setupPrimary({ serialization: 'advanced' });
  const workers = [];
  const ports = [];
  let readyCount = 0;
  let stopping = false;
  for (let index = 0; index < NODES; index++) {
    const worker = cluster.fork({ BENCH_NODE: String(index) });
    workers.push(worker);
    worker.on('message', (msg) => {
      if (typeof msg?.type !== 'string') return; // the adapter's own traffic
      if (msg.type === 'ready') {
        ports[index] = msg.port;
        if (++readyCount === NODES) process.send({ type: 'ready', ports, pid: process.pid });
      } else if (msg.type === 'error') process.send({ ...msg, message: `worker ${index}: ${msg.message}` });
      else process.send({ ...msg, type: `${msg.type}:${index}` });
    });
    worker.on('exit', (code, signal) => {
      if (!stopping && process.connected) process.send({ type: 'error', message: `worker ${index} exited (code ${code}, signal ${signal})` });
    });
  }
  process.on('message', (msg) => {
    if (msg.node !== undefined) workers[msg.node].send(msg);
    else if (msg.cmd === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ type: 'cpu', userMs: user / 1000, systemMs: system / 1000 });
    }
  });
  process.on('disconnect', () => {
    stopping = true;
    for (const worker of workers) worker.disconnect();
    setTimeout(() => process.exit(0), 3000).unref();
  });
} else {
  const httpServer = createServer();
  // Each worker on a port of its own rather than the primary's shared handle, so that exactly half of
  // the clients connect to each node. harness.serve listens on (0, '127.0.0.1'); make that exclusive.
  const listen = httpServer.listen.bind(httpServer);
  httpServer.listen = (port, host) => listen({ port, host, exclusive: true });
  const options = { serveClient: false, adapter: clusterAdapter() };
  const io = process.env.BENCH_SERVER === 'socket.io' ? new SocketIoServer(httpServer, options) : new Server(httpServer, options);
  await serve(httpServer, {
    broadcast: (seq) => io.emit('tick', seq),
    connected: () => io.of('/').sockets.size,
    close: () => io.close(),
  });
}
