/* eslint-disable @typescript-eslint/no-explicit-any */
import { EventEmitter } from 'node:events';

/** A map of event names to listener signatures, as in socket.io: `{ chat: (text: string) => void }`. */
export interface EventsMap {
  [event: string]: any;
}

/** The map used when none is given: every event, any arguments. */
export interface DefaultEventsMap {
  [event: string]: (...args: any[]) => void;
}

export type EventNames<TMap extends EventsMap> = keyof TMap & (string | symbol);
export type EventParams<TMap extends EventsMap, TEv extends EventNames<TMap>> = Parameters<TMap[TEv]>;

/** The reserved events of an emitter together with the user's own. */
export type ReservedOrUserEventNames<TReserved extends EventsMap, TUser extends EventsMap> =
  | EventNames<TReserved>
  | EventNames<TUser>;

export type ReservedOrUserListener<
  TReserved extends EventsMap,
  TUser extends EventsMap,
  TEv extends ReservedOrUserEventNames<TReserved, TUser>,
> = FallbackToUntypedListener<
  TEv extends EventNames<TReserved> ? TReserved[TEv] : TEv extends EventNames<TUser> ? TUser[TEv] : never
>;

type FallbackToUntypedListener<T> = [T] extends [never] ? (...args: any[]) => void | Promise<void> : T;

/**
 * The last parameter of a listener when it is an acknowledgement callback. For a plain array (the
 * default events map's `(...args: any[])`) its element type, so that untyped acks are `any` as in socket.io.
 */
type Last<T extends any[]> = T extends [...any[], infer L] ? L : T extends (infer E)[] ? E : never;
type AllButLast<T extends any[]> = T extends [...infer H, any] ? H : any[];

/** Arguments of an event with the acknowledgement callback (if any) removed. */
export type EventParamsWithoutAck<TMap extends EventsMap, TEv extends EventNames<TMap>> =
  Last<EventParams<TMap, TEv>> extends (...args: any[]) => any ? AllButLast<EventParams<TMap, TEv>> : EventParams<TMap, TEv>;

/** What `emitWithAck` resolves to: the first argument the receiver passes to the acknowledgement. */
export type FirstArg<T> = T extends (arg: infer A, ...rest: any[]) => any ? A : any;
/** The answer in an acknowledgement callback: the argument after the error for `(err, answer)` callbacks. */
export type AckAnswer<T> = T extends (err: Error | null, answer: infer R) => any ? R : FirstArg<T>;
export type AckResult<TMap extends EventsMap, TEv extends EventNames<TMap>> = AckAnswer<Last<EventParams<TMap, TEv>>>;

/** The acknowledgement callback of a `timeout(ms)` emit: an error first, then the receiver's arguments. */
export type DecorateAcknowledgementWithError<T> = T extends (...args: infer A) => infer R
  ? (err: Error | null, ...args: A) => R
  : T;
export type DecorateAcknowledgementsWithTimeoutAndMultipleResponses<TMap extends EventsMap> = {
  [K in keyof TMap]: Last<Parameters<TMap[K]>> extends (...args: infer A) => any
    ? (...args: [...AllButLast<Parameters<TMap[K]>>, (err: Error | null, responses: A[0][]) => void]) => void
    : TMap[K];
};
export type DecorateAcknowledgementsWithTimeout<TMap extends EventsMap> = {
  [K in keyof TMap]: Last<Parameters<TMap[K]>> extends (...args: any[]) => any
    ? (...args: [...AllButLast<Parameters<TMap[K]>>, DecorateAcknowledgementWithError<Last<Parameters<TMap[K]>>>]) => void
    : TMap[K];
};
export type DecorateAcknowledgementsWithMultipleResponses<TMap extends EventsMap> = {
  [K in keyof TMap]: Last<Parameters<TMap[K]>> extends (...args: infer A) => any
    ? (...args: [...AllButLast<Parameters<TMap[K]>>, (responses: A[0][]) => void]) => void
    : TMap[K];
};

/**
 * An EventEmitter whose `on`/`once`/`off` are typed by the events it listens to (the user's and the
 * reserved ones) and whose user-facing `emit` is typed by the events it sends.
 */
export abstract class TypedEmitter<
  TListen extends EventsMap,
  TReserved extends EventsMap = Record<never, never>,
> extends EventEmitter {
  override on<TEv extends ReservedOrUserEventNames<TReserved, TListen>>(
    ev: TEv,
    listener: ReservedOrUserListener<TReserved, TListen, TEv>,
  ): this {
    return super.on(ev, listener);
  }

  override once<TEv extends ReservedOrUserEventNames<TReserved, TListen>>(
    ev: TEv,
    listener: ReservedOrUserListener<TReserved, TListen, TEv>,
  ): this {
    return super.once(ev, listener);
  }

  override off<TEv extends ReservedOrUserEventNames<TReserved, TListen>>(
    ev: TEv,
    listener: ReservedOrUserListener<TReserved, TListen, TEv>,
  ): this {
    return super.off(ev, listener);
  }

  /** Emits a reserved (local, never sent) event. */
  protected emitReserved<TEv extends EventNames<TReserved>>(ev: TEv, ...args: EventParams<TReserved, TEv>): boolean {
    return super.emit(ev, ...args);
  }

  /** Emits an incoming user event to the local listeners. */
  protected emitUntyped(ev: string, ...args: unknown[]): boolean {
    return super.emit(ev, ...args);
  }
}
