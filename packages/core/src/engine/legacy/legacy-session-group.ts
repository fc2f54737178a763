import { DeadlineQueue } from '../deadline-queue.js';
import { Heartbeat } from '../heartbeat.js';
import { consoleLogger } from '../logger.js';
import type { HeartbeatActions, SessionGroup, SessionSettings } from '../session-group.js';

/** The settings of the 0.9 sessions of one engine; times in milliseconds. */
export interface LegacySessionSettings<TSession> extends Pick<SessionSettings<TSession>, 'maxWriteBuffer' | 'onClosed' | 'logger'> {
  /** How often a session on a persistent transport is sent a `2::`. */
  heartbeatInterval: number;
  /** How long its client has to answer one. */
  heartbeatTimeout: number;
  /** How long a polling client may stay away between requests, and a closing session wait for its `0::` to be fetched. */
  closeTimeout: number;
  /** Deepest nesting of a packet's JSON. */
  maxNestingDepth: number;
}

/**
 * What the 0.9 sessions of one engine share: their settings, one heartbeat and one queue of close
 * timeouts, each on one timer for all of them.
 */
export interface LegacySessionGroup<TSession> extends Pick<SessionGroup<TSession>, 'heartbeat' | 'maxWriteBuffer' | 'onClosed' | 'logger'> {
  /** Sessions waiting for their client to come back (or to fetch its `0::`), by close deadline. */
  readonly closing: DeadlineQueue<TSession>;
  readonly closeTimeout: number;
  readonly maxNestingDepth: number;
}

/** What the shared timers do to one 0.9 session. */
export interface LegacyTimerActions<TSession> extends HeartbeatActions<TSession> {
  /** The session's close timeout passed. */
  closeTimedOut(session: TSession): void;
}

/** Makes the group, once per engine. */
export function legacySessionGroup<TSession>(
  settings: LegacySessionSettings<TSession>,
  actions: LegacyTimerActions<TSession>,
): LegacySessionGroup<TSession> {
  const { ping, expire, closeTimedOut } = actions;
  return {
    heartbeat: new Heartbeat<TSession>({ interval: settings.heartbeatInterval, timeout: settings.heartbeatTimeout, ping, expire }),
    closing: new DeadlineQueue<TSession>((entry) => closeTimedOut(entry.item)),
    closeTimeout: settings.closeTimeout,
    maxNestingDepth: settings.maxNestingDepth,
    maxWriteBuffer: settings.maxWriteBuffer,
    onClosed: settings.onClosed,
    logger: settings.logger ?? consoleLogger,
  };
}
