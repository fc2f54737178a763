import createDebug from 'debug';
import type { Refusal } from './connection-error.js';
import { ENGINE_HTTP_ERROR_MESSAGES } from './errors.js';
import type { Logger } from './logger.js';

const log = createDebug('switchyard:engine');

/**
 * Tells the logger of a request the engine refused (every generation's): at `debug`, since whoever can
 * reach the endpoint can send any number of bad requests, with engine.io's `code` and the refusal's
 * context as fields. A refusal its maker marked as the server's own failure (`serverFailure`) goes out at
 * `error`.
 */
export function logRefusal(logger: Logger, refusal: Refusal, status: number | undefined): void {
  const { error, ...context } = refusal.context;
  const fields = {
    code: refusal.code,
    reason: ENGINE_HTTP_ERROR_MESSAGES[refusal.code] ?? 'Bad request',
    ...context,
    ...(status !== undefined && { status }),
    ...(error !== undefined && { err: error }),
  };
  if (log.enabled) log('request refused %o', fields);
  if (refusal.serverFailure === true) logger.error(fields, 'a request failed in the server');
  else logger.debug(fields, 'request refused');
}
