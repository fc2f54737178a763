export { Engine, type EngineEvents } from './engine.js';
export { Session } from './session.js';
export type { Connection, ConnectionEvents, SessionEvents, SessionState } from './connection.js';
export type { EnginePacketEvent, SendOptions } from './packet-events.js';
export { PreparedMessage } from './prepared-message.js';
export type { CloseReason } from './transport.js';
export { EngineError, EngineErrorCode, EngineHttpError } from './errors.js';
export { EngineConnectionError, type ConnectionErrorContext } from './connection-error.js';
export type { GenerateId } from './handshake-gate.js';
export { attachToHttpServer, type NodeRequestHandler } from './attach.js';
export { consoleLogger, type LogFields, type Logger } from './logger.js';
export type {
  EngineOptions,
  CorsOptions,
  CorsOrigin,
  AllowRequest,
  HttpCompressionOptions,
  PerMessageDeflateOptions,
  TransportName,
} from './options.js';
export { LegacyEngine, type LegacyEngineEvents } from './legacy/legacy-engine.js';
export { LegacySession, type LegacySessionEvents } from './legacy/legacy-session.js';
export { FlashPolicyServer, flashPolicy } from './legacy/flash-policy-server.js';
export type { LegacyAuthorization, LegacyEngineOptions, FlashPolicyServerOptions } from './legacy/legacy-options.js';
export { LegacyTransport, type LegacyTransportName } from './legacy/legacy-transport.js';
export { CLIENT_GENERATIONS, generationOf, snapshotSession, type ClientGenerationName, type ConnectionCounts, type SessionSnapshot } from './session-snapshot.js';
