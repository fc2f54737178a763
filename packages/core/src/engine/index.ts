export { Engine, type EngineEvents } from './engine.js';
export { Session, type SessionEvents, type SessionState } from './session.js';
export { PreparedMessage } from './prepared-message.js';
export type { CloseReason } from './transport.js';
export { EngineError, EngineErrorCode, EngineHttpError } from './errors.js';
export { attachToHttpServer, type NodeRequestHandler } from './attach.js';
export type {
  EngineOptions,
  CorsOptions,
  CorsOrigin,
  AllowRequest,
  HttpCompressionOptions,
  PerMessageDeflateOptions,
  TransportName,
} from './options.js';
