export { createEngineHandler, type EngineHandler, type NodeHttpHandler } from './node-http-handler.js';
