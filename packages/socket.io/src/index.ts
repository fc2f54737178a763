/* eslint-disable @typescript-eslint/no-explicit-any */
import type { Server as HttpServer } from 'node:http';
import { Server as SwitchyardServer, type DefaultEventsMap, type EventsMap, type ServerOptions } from '@switchyard/core';

/**
 * socket.io's `Server`, with socket.io's defaults: only socket.io-client 3.x and 4.x are served
 * (`allowEIO3: false`, no 0.9 protocol) until the options turn the older generations on. Every
 * Switchyard option (`protocol09`, `router`, class namespaces through `io.register`) is there too.
 */
export class Server<
  TListen extends EventsMap = DefaultEventsMap,
  TEmit extends EventsMap = TListen,
  TServerSide extends EventsMap = DefaultEventsMap,
  TData = any,
> extends SwitchyardServer<TListen, TEmit, TServerSide, TData> {
  constructor(options?: Partial<ServerOptions>);
  constructor(srv?: HttpServer | number, options?: Partial<ServerOptions>);
  constructor(srv?: HttpServer | number | Partial<ServerOptions>, options?: Partial<ServerOptions>) {
    if (srv !== undefined && typeof srv === 'object' && !isServerLike(srv)) super(withSocketIoDefaults(srv as Partial<ServerOptions>));
    else super(srv as HttpServer | number, withSocketIoDefaults(options ?? {}));
  }
}

/** socket.io's defaults under the options a user gave. */
function withSocketIoDefaults(options: Partial<ServerOptions>): ServerOptions {
  return { allowEIO3: false, protocol09: false, ...options };
}

function isServerLike(value: object): boolean {
  return typeof (value as HttpServer).listen === 'function';
}

export {
  BroadcastOperator,
  Namespace,
  RemoteSocket,
  Socket,
  type DefaultEventsMap,
  type DisconnectReason,
  type EventNames,
  type EventParams,
  type EventsMap,
  type ExtendedError,
  type ServerOptions,
} from '@switchyard/core';
