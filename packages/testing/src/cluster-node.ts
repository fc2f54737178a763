/* eslint-disable @typescript-eslint/no-explicit-any -- a node may be socket.io's own Server (a mixed fleet) */
import type { Server } from '@switchyard/core';

/** Which sockets an operation targets: `to`/`in` rooms, minus `except` rooms, this node only with `local`. */
export interface Target {
  to?: string[];
  except?: string[];
  local?: boolean;
}

/** A socket as `fetchSockets` reports it, reduced to plain data that crosses a process boundary. */
export interface FetchedSocket {
  id: string;
  node: number;
  rooms: string[];
}

/** The operations the cluster suite runs on a node, each answered with plain (structured-cloneable) data. */
export interface NodeOps {
  serverCount(): Promise<number>;
  emit(target: Target, event: string, args: unknown[]): Promise<void>;
  /** A broadcast with acks: the responses, or the error's message when it failed (a timeout). */
  emitWithAck(target: Target, timeout: number, event: string): Promise<{ responses: unknown[] } | { error: string }>;
  fetchSockets(target: Target): Promise<FetchedSocket[]>;
  /** Emits to the one socket `fetchSockets` finds with `id`, through its RemoteSocket. */
  emitToFetched(id: string, event: string, args: unknown[]): Promise<void>;
  socketsJoin(target: Target, room: string): Promise<void>;
  socketsLeave(target: Target, room: string): Promise<void>;
  disconnectSockets(target: Target): Promise<void>;
  serverSideEmit(event: string, args: unknown[]): Promise<void>;
  serverSideEmitWithAck(event: string): Promise<unknown[]>;
  /** From now on, records every `serverSideEmit` of `event` this node hears… */
  listen(event: string): Promise<void>;
  /** …and returns what it heard. */
  heard(event: string): Promise<unknown[][]>;
  /** From now on, answers `serverSideEmitWithAck(event)` with `value`. */
  answer(event: string, value: unknown): Promise<void>;
  /** The main namespace adapter's room events (`create-room`, `join-room`, `leave-room`, `delete-room`) so far. */
  roomEvents(): Promise<unknown[][]>;
  /** Between two cases on the same nodes: disconnects this node's sockets, forgets listeners and events. */
  reset(): Promise<void>;
}

/** One node of a cluster under test, in this process or another, Switchyard's or socket.io's. */
export interface ClusterNode {
  readonly index: number;
  /** Where its clients connect, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The client generations it serves, by name (see `ClientGeneration.name`); others connect as 4.x. Default: all. */
  readonly serves?: readonly string[];
  call<TOp extends keyof NodeOps>(op: TOp, ...args: Parameters<NodeOps[TOp]>): ReturnType<NodeOps[TOp]>;
  close(): Promise<void>;
}

const ROOM_EVENTS = ['create-room', 'join-room', 'leave-room', 'delete-room'];

/**
 * The suite's operations on one Server, through its public API only, so that the same code drives a
 * Switchyard Server and a socket.io 4 Server. Every socket gets `data.node` and answers `join` (it joins
 * the room) and `whoami` (its id).
 */
export function clusterNodeOps(server: Server, index: number): NodeOps {
  const io = server as any;
  io.on('connection', (socket: any) => {
    socket.data = { node: index };
    socket.on('join', (room: string, ack: (ok: boolean) => void) => {
      socket.join(room);
      ack(true);
    });
    socket.on('whoami', (_value: unknown, ack: (id: string) => void) => ack(socket.id));
  });
  const roomEvents: unknown[][] = [];
  const adapter = io.of('/').adapter;
  for (const name of ROOM_EVENTS) adapter.on(name, (...args: unknown[]) => roomEvents.push([name, ...args]));
  const heard = new Map<string, unknown[][]>();
  const listeners: [string, (...args: any[]) => void][] = [];
  const on = (event: string, listener: (...args: any[]) => void): void => {
    listeners.push([event, listener]);
    io.on(event, listener);
  };
  const select = (target: Target): any => {
    let op = target.local === true ? io.local : io.of('/');
    if (target.to !== undefined) op = op.to(target.to);
    if (target.except !== undefined) op = op.except(target.except);
    return op;
  };
  const fetched = async (target: Target): Promise<any[]> => (await select(target).fetchSockets()) as any[];
  return {
    serverCount: async () => (await adapter.serverCount()) as number,
    emit: async (target, event, args) => void select(target).emit(event, ...args),
    emitWithAck: async (target, timeout, event) => {
      try {
        return { responses: (await select(target).timeout(timeout).emitWithAck(event)) as unknown[] };
      } catch (err) {
        return { error: (err as Error).message };
      }
    },
    fetchSockets: async (target) =>
      (await fetched(target)).map((socket) => ({ id: socket.id, node: socket.data?.node, rooms: [...socket.rooms] as string[] })),
    emitToFetched: async (id, event, args) => {
      const [socket] = await fetched({ to: [id] });
      if (socket === undefined) throw new Error(`fetchSockets found no socket ${id}`);
      socket.emit(event, ...args);
    },
    socketsJoin: async (target, room) => void select(target).socketsJoin(room),
    socketsLeave: async (target, room) => void select(target).socketsLeave(room),
    disconnectSockets: async (target) => void select(target).disconnectSockets(),
    serverSideEmit: async (event, args) => void io.serverSideEmit(event, ...args),
    serverSideEmitWithAck: async (event) => (await io.serverSideEmitWithAck(event)) as unknown[],
    listen: async (event) => {
      heard.set(event, []);
      on(event, (...args: unknown[]) => heard.get(event)!.push(args));
    },
    heard: async (event) => heard.get(event) ?? [],
    answer: async (event, value) => on(event, (reply: (v: unknown) => void) => reply(value)),
    roomEvents: async () => roomEvents,
    reset: async () => {
      io.local.disconnectSockets(true);
      for (const [event, listener] of listeners.splice(0)) io.off(event, listener);
      heard.clear();
      roomEvents.length = 0;
    },
  };
}

/** A node in this process: `server` listening at `url`, closed by `close`. */
export function localClusterNode(options: { server: Server; index: number; url: string; close(): Promise<void> }): ClusterNode {
  const ops = clusterNodeOps(options.server, options.index);
  return {
    index: options.index,
    url: options.url,
    call: (op, ...args) => (ops[op] as (...a: unknown[]) => never)(...args),
    close: options.close,
  };
}
