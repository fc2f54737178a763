/**
 * Cluster nodes in other processes, driven over Node's IPC channel: a test forks a script that starts one
 * node (or a node:cluster primary whose workers are the nodes) and calls {@link serveClusterNode} for each;
 * {@link forkClusterNodes} returns them as {@link ClusterNode}s. Messages carry the node's index, so a
 * primary relays them to and from its workers unchanged ({@link relayClusterNode}).
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Server } from '@switchyard/core';
import { type ClusterNode, clusterNodeOps, type NodeOps } from './cluster-node.js';

type Message =
  | { node: number; ready: { url: string; serves?: readonly string[] } }
  | { node: number; call: number; op: keyof NodeOps; args: unknown[] }
  | { node: number; reply: number; result?: unknown; error?: string }
  | { node: number; close: number };

/** The env a forked script reads: its nodes are CLUSTER_NODE_FIRST … CLUSTER_NODE_FIRST + CLUSTER_NODE_COUNT - 1. */
export function clusterNodeIndexes(env: NodeJS.ProcessEnv = process.env): number[] {
  const first = Number(env.CLUSTER_NODE_FIRST ?? 0);
  return Array.from({ length: Number(env.CLUSTER_NODE_COUNT ?? 1) }, (_, i) => first + i);
}

const send = (message: Message, then?: () => void): void => {
  if (process.send === undefined) throw new Error('serveClusterNode: this process has no IPC channel (start it with forkClusterNodes)');
  process.send(message, undefined, undefined, () => then?.());
};

/** The nodes this process serves and has not closed yet: the IPC channel is let go when none is left. */
let serving = 0;

/** IPC turns a Buffer into a plain Uint8Array; the Server must get a Buffer back to see binary. */
const revive = (args: unknown[]): unknown[] =>
  args.map((arg) => (arg instanceof Uint8Array && !Buffer.isBuffer(arg) ? Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength) : arg));

/**
 * In the forked process: answers the test's calls for node `index` (a Switchyard or socket.io Server,
 * listening at `url`). On the test's close, runs `close` (which must close the Server and release every
 * client of the adapter, so that the process can exit) and, once every node it serves is closed, lets go
 * of the IPC channel.
 */
export function serveClusterNode(options: { server: Server; index: number; url: string; serves?: readonly string[]; close(): Promise<void> }): void {
  const ops = clusterNodeOps(options.server, options.index);
  const onMessage = (raw: unknown): void => {
    const message = raw as Message;
    if (typeof message !== 'object' || message === null || message.node !== options.index) return;
    if ('call' in message) {
      (ops[message.op] as (...args: unknown[]) => Promise<unknown>)(...revive(message.args)).then(
        (result) => send({ node: options.index, reply: message.call, result }),
        (err: unknown) => send({ node: options.index, reply: message.call, error: String((err as Error)?.stack ?? err) }),
      );
    } else if ('close' in message) {
      process.off('message', onMessage);
      const letGo = (): void => {
        if (--serving === 0) process.disconnect?.();
      };
      options.close().then(
        () => send({ node: options.index, reply: message.close }, letGo),
        (err: unknown) => send({ node: options.index, reply: message.close, error: String(err) }, letGo),
      );
    }
  };
  process.on('message', onMessage);
  serving++;
  send({ node: options.index, ready: { url: options.url, ...(options.serves !== undefined && { serves: options.serves }) } });
}

/** In a node:cluster primary: passes the test's messages for `index` to `worker`, and the worker's back. */
export function relayClusterNode(worker: { send(message: unknown): unknown; on(event: 'message', fn: (message: unknown) => void): unknown }, index: number): void {
  process.on('message', (message: unknown) => {
    if ((message as Message | null)?.node === index) worker.send(message);
  });
  worker.on('message', (message: unknown) => {
    if (typeof (message as Message | null)?.node === 'number' && process.connected) process.send?.(message);
  });
}

// A last resort against a node that never exits; on a loaded 2-core machine a socket.io node and its adapter clients take seconds.
const EXIT_BUDGET_MS = 30_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the node process ${child.pid} did not exit within ${EXIT_BUDGET_MS} ms of its close (a client of the adapter left open?)`));
    }, EXIT_BUDGET_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Forks `script` for the nodes `first` … `first + count - 1` (it reads them with {@link clusterNodeIndexes})
 * and resolves once each has called {@link serveClusterNode}. The process must exit by itself once all its
 * nodes are closed.
 */
export async function forkClusterNodes(script: string | URL, options: { first: number; count?: number; env?: NodeJS.ProcessEnv; readyTimeout?: number }): Promise<ClusterNode[]> {
  const count = options.count ?? 1;
  const child = fork(script, [], {
    env: { ...process.env, ...options.env, CLUSTER_NODE_FIRST: String(options.first), CLUSTER_NODE_COUNT: String(count) },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextCall = 0;
  let gone: Error | undefined;
  child.once('exit', (code, signal) => {
    gone = new Error(`the node process ${child.pid} exited (${signal ?? code})`);
    for (const { reject } of pending.values()) reject(gone);
    pending.clear();
  });
  const request = (message: (id: number) => Message): Promise<unknown> => {
    if (gone !== undefined) return Promise.reject(gone);
    const id = nextCall++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send(message(id));
    });
  };
  const nodes = new Map<number, ClusterNode>();
  let open = count;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node process ${child.pid} did not start ${count} node(s) in time`)), options.readyTimeout ?? 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(gone);
    });
    child.on('message', (raw: unknown) => {
      const message = raw as Message;
      if ('reply' in message) {
        const waiting = pending.get(message.reply);
        pending.delete(message.reply);
        if (message.error !== undefined) waiting?.reject(new Error(`node ${message.node}: ${message.error}`));
        else waiting?.resolve(message.result);
      } else if ('ready' in message) {
        const index = message.node;
        nodes.set(index, {
          index,
          url: message.ready.url,
          ...(message.ready.serves !== undefined && { serves: message.ready.serves }),
          call: ((op: keyof NodeOps, ...args: unknown[]) => request((call) => ({ node: index, call, op, args }))) as ClusterNode['call'],
          close: async () => {
            await request((close) => ({ node: index, close }));
            if (--open === 0) await exited(child);
          },
        });
        if (nodes.size === count) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
  });
  try {
    await ready;
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return [...nodes.values()].sort((a, b) => a.index - b.index);
}
