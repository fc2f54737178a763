export { createEngineHandler, type EngineHandler, type NodeHttpHandler } from './node-http-handler.js';
export { Server } from './server.js';
export type { ServerOptions } from './server-options.js';
export { sessionIdOf, type SessionRouter } from './session-router.js';
export { disconnectClients } from './disconnect-clients.js';
export { bridgeUpgrades, closeWithServer, refuseAttachedServer, serveFrameworkRequest, type BridgeUpgradesOptions } from './bridge-upgrades.js';
export type { ClusterSnapshot, EngineSnapshot, InspectClusterOptions, InspectedSession, InspectOptions, NodeInfo, ServerSnapshot } from './server-inspector.js';
