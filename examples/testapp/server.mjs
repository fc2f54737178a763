// Starts the test application: `pnpm -C examples/testapp start` (PORT, default 3000).
// With REDIS_URL set, the process joins a cluster through @switchyard/redis: start several on different
// ports (PORT=3001, PORT=3002, …) with the same REDIS_URL and they behave as one server, with no sticky
// sessions needed in front of them.
import { createTestApp } from './app.mjs';

const port = Number(process.env.PORT ?? 3000);
let redis;
const cluster = process.env.REDIS_URL ? await joinCluster(process.env.REDIS_URL) : undefined;
const { httpServer, io } = createTestApp(cluster === undefined ? {} : { adapter: cluster.adapter, router: cluster.router }, { cluster });

await cluster?.ready();
httpServer.listen(port, () => {
  const mode = cluster === undefined ? '' : ` (cluster over ${process.env.REDIS_URL})`;
  console.log(`Switchyard testapp: http://localhost:${port}/ (Socket.IO at /socket.io/, Prometheus metrics at /metrics)${mode}`);
});

async function joinCluster(url) {
  const [{ Redis }, { RedisCluster }] = await Promise.all([import('ioredis'), import('@switchyard/redis')]);
  redis = new Redis(url);
  redis.on('error', () => {}); // reported through the cluster below; ioredis retries on its own
  const joined = new RedisCluster({ client: redis, key: process.env.REDIS_KEY ?? 'switchyard-testapp' });
  joined.on('error', (err) => console.warn(`redis: ${err.message}`));
  return joined;
}

const stop = async () => {
  await io.close();
  if (cluster !== undefined) {
    await cluster.close();
    await redis.quit();
  }
  httpServer.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
