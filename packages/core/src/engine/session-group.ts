import { Heartbeat } from './heartbeat.js';
import { consoleLogger, type Logger } from './logger.js';

export interface SessionSettings<TSession> {
  pingInterval: number;
  pingTimeout: number;
  upgradeTimeout: number;
  /** Most bytes of messages that may wait for a transport that cannot take them (a polling client away). */
  maxWriteBuffer: number;
  /** Called once per session, when it is closed for good. */
  onClosed(session: TSession): void;
  /** Where a session dropped as a slow consumer is reported. Default: the console. */
  logger?: Logger;
}

/** What the sessions of one engine share: their settings and one heartbeat for all of them. */
export interface SessionGroup<TSession> {
  readonly heartbeat: Heartbeat<TSession>;
  readonly pingTimeout: number;
  readonly upgradeTimeout: number;
  readonly maxWriteBuffer: number;
  readonly onClosed: (session: TSession) => void;
  readonly logger: Logger;
}

/** What the shared heartbeat does to one session. */
export interface HeartbeatActions<TSession> {
  /** Sends the session a ping. */
  ping(session: TSession): void;
  /** Closes the session, silent for too long (`ping timeout`). */
  expire(session: TSession): void;
}

/** Makes the group; the pings and ping timeouts of all its sessions run on the same two timers. */
export function sessionGroup<TSession>(settings: SessionSettings<TSession>, actions: HeartbeatActions<TSession>): SessionGroup<TSession> {
  return {
    heartbeat: new Heartbeat<TSession>({ interval: settings.pingInterval, timeout: settings.pingTimeout, ...actions }),
    pingTimeout: settings.pingTimeout,
    upgradeTimeout: settings.upgradeTimeout,
    maxWriteBuffer: settings.maxWriteBuffer,
    onClosed: settings.onClosed,
    logger: settings.logger ?? consoleLogger,
  };
}
