import type { Logger } from '../engine/logger.js';
import { RealtimeError, RealtimeErrorCode } from './errors.js';

/** Where an error of application code happened: the namespace, and the socket and event when there is one. */
export interface ListenerErrorSite {
  nsp: string;
  /** The socket's id. */
  socket?: string | undefined;
  /** The event whose listener (or acknowledgement, middleware, job) threw: `connection`, `chat`, `ack`, … */
  event?: string | symbol | undefined;
}

/**
 * The one place an error thrown (or rejected) by application code is logged when nothing else took it:
 * one `error` line on the server's logger with the socket id, namespace and event name as fields and the
 * error itself as `err`, never a stack per packet on the console. Every listener, acknowledgement, packet
 * middleware and class-namespace job of every generation ends here.
 */
export function reportListenerError(logger: Logger, site: ListenerErrorSite, err: unknown, message = 'a listener threw'): void {
  const error = err instanceof Error ? err : new Error(String(err));
  const fields = {
    ...(site.socket !== undefined && { socket: site.socket }),
    nsp: site.nsp,
    ...(site.event !== undefined && { event: String(site.event) }),
    err: error,
  };
  if (error instanceof RealtimeError && error.code === RealtimeErrorCode.UNENCODABLE) {
    logger.error(fields, 'a reply could not be encoded: the socket is disconnected');
  } else {
    logger.error(fields, message);
  }
}
