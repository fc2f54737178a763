export { instrument, type InstrumentOptions, type Instrumentation } from './instrument.js';
export { metricsHandler } from './metrics-handler.js';
export { type Generation, generationOf } from './tally.js';
export type { ClusterStatsSource } from './cluster-metrics.js';
