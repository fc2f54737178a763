export * from './protocol/index.js';
export * from './engine/index.js';
export * from './realtime/index.js';
export * from './server/index.js';
