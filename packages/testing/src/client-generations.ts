import type { ClientGeneration } from './client-generation.js';
import { socketIoClientV09 } from './socket-io-client-v09.js';
import { socketIoClientV2 } from './socket-io-client-v2.js';
import { socketIoClientV4 } from './socket-io-client-v4.js';

export type { ClientGeneration, GenerationClient, GenerationConnectOptions } from './client-generation.js';
export { socketIoClientV09, socketIoClientV2, socketIoClientV4 };

/**
 * Every generation the core supports. Each official client is loaded only when its first case runs, and
 * must be installed by the package whose tests run it (see each row's install line).
 */
export const clientGenerations: readonly ClientGeneration[] = [socketIoClientV4, socketIoClientV2, socketIoClientV09];
