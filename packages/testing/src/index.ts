export { runClusterConformance, type ClusterSuiteOptions, type TestApi } from './cluster-suite.js';
export { clusterNodeOps, localClusterNode, type ClusterNode, type FetchedSocket, type NodeOps, type Target } from './cluster-node.js';
export { clusterNodeIndexes, forkClusterNodes, relayClusterNode, serveClusterNode } from './cluster-node-ipc.js';
export { runAdapterConformance, type AdapterApp, type AdapterSuiteOptions, type AdapterTestApi } from './adapter-suite.js';
export {
  clientGenerations,
  socketIoClientV09,
  socketIoClientV2,
  socketIoClientV4,
  type ClientGeneration,
  type GenerationClient,
  type GenerationConnectOptions,
} from './client-generations.js';
export { installPacked, type PackedProject, type PackedProjectOptions } from './packed-project.js';
export { sleep, until, within } from './wait.js';
export { seededRandom } from './seeded-random.js';
export { serveStaticDir, type StaticSite } from './static-site.js';
export { CHROMIUM_PATH, chromiumInstalled, chromiumLaunchOptions } from './chromium.js';
export { REDIS_URL, redisAnswers, requireService } from './services.js';
