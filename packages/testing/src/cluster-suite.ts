import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Server, type AdapterConstructor } from '@switchyard/core';
import { until } from './wait.js';

/** The few functions of a test runner the suites need (vitest, mocha and node:test all have them). */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>): void;
  beforeEach(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
}

export interface ClusterSuiteOptions {
  /** A fresh cluster for one test: the adapter every node's Server is given, and how to tear it down. */
  createCluster(): Promise<{ adapter: AdapterConstructor; close?: () => Promise<void> }>;
  /** How many nodes (Server instances). Default 3. */
  nodes?: number;
  /** A name for the describe block. */
  name?: string;
}

interface Node {
  io: Server;
  http: HttpServer;
  client: ClientSocket;
}

function next<T extends unknown[]>(client: ClientSocket, event: string, ms = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    client.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

/** Collects every `event` a client receives, for checks that something did NOT arrive. */
function record(client: ClientSocket, event: string): unknown[][] {
  const seen: unknown[][] = [];
  client.on(event, (...args: unknown[]) => seen.push(args));
  return seen;
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

/**
 * The cluster conformance suite: several Server instances in one process, each with its own http server
 * and client, joined by the adapter under test. Rooms, broadcasts with and without acks, fetchSockets,
 * socketsJoin/Leave, disconnectSockets and serverSideEmit must all reach across nodes.
 */
export function runClusterConformance(api: TestApi, options: ClusterSuiteOptions): void {
  const count = options.nodes ?? 3;
  api.describe(options.name ?? 'cluster conformance', () => {
    let nodes: Node[] = [];
    let closeCluster: (() => Promise<void>) | undefined;

    api.beforeEach(async () => {
      const cluster = await options.createCluster();
      closeCluster = cluster.close;
      nodes = [];
      for (let i = 0; i < count; i++) {
        const http = createServer();
        const io = new Server(http, { adapter: cluster.adapter });
        io.on('connection', (socket) => {
          socket.data = { node: i };
          socket.on('join', (room: string, ack: (ok: boolean) => void) => {
            socket.join(room);
            ack(true);
          });
        });
        await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
        const { port } = http.address() as AddressInfo;
        const client = connect(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ['websocket'] });
        nodes.push({ io, http, client });
      }
      await Promise.all(nodes.map(({ client }) => (client.connected ? undefined : next(client, 'connect'))));
      await until(async () => {
        const counts = await Promise.all(nodes.map(({ io }) => io.of('/').adapter.serverCount()));
        return counts.every((n) => n === count);
      }, `${count} nodes to see each other`);
    });

    api.afterEach(async () => {
      for (const node of nodes) {
        node.client.disconnect();
        await node.io.close();
        node.http.closeAllConnections();
        await new Promise<void>((resolve) => node.http.close(() => resolve()));
      }
      await closeCluster?.();
    });

    const node = (i: number): Node => nodes[i]!;

    api.it('a broadcast from one node reaches the clients of every node', async () => {
      const received = Promise.all(nodes.map(({ client }) => next<[string]>(client, 'hello')));
      node(0).io.emit('hello', 'world');
      deepStrictEqual(await received, nodes.map(() => ['world']));
    });

    api.it('binary survives the trip between nodes', async () => {
      const received = next<[Buffer]>(node(1).client, 'bytes');
      node(0).io.emit('bytes', Buffer.from([1, 2, 3, 250]));
      const [bytes] = await received;
      deepStrictEqual([...new Uint8Array(bytes)], [1, 2, 3, 250]);
    });

    api.it('rooms and except reach across nodes', async () => {
      strictEqual(await node(1).client.emitWithAck('join', 'blue'), true);
      strictEqual(await node(2).client.emitWithAck('join', 'blue'), true);
      strictEqual(await node(2).client.emitWithAck('join', 'muted'), true);
      const seen = nodes.map(({ client }) => record(client, 'news'));
      node(0).io.to('blue').except('muted').emit('news', 1);
      await until(() => seen[1]!.length === 1, 'node 1 to get the room broadcast');
      await settle();
      deepStrictEqual(seen.map((s) => s.length), [0, 1, 0]);
    });

    api.it('local broadcasts stay on their node', async () => {
      const seen = nodes.map(({ client }) => record(client, 'local'));
      node(1).io.local.emit('local', 'only here');
      await until(() => seen[1]!.length === 1, 'the local client');
      await settle();
      deepStrictEqual(seen.map((s) => s.length), [0, 1, 0]);
    });

    api.it('a broadcast with acks gathers every client of every node', async () => {
      nodes.forEach(({ client }, i) => client.on('ask', (reply: (n: number) => void) => reply(i)));
      const responses = (await node(0).io.timeout(3000).emitWithAck('ask')) as unknown as number[];
      deepStrictEqual([...responses].sort(), nodes.map((_, i) => i));
    });

    api.it('a broadcast with acks times out when a client on another node stays silent', async () => {
      nodes.forEach(({ client }, i) => {
        if (i !== 2) client.on('ask', (reply: (n: number) => void) => reply(i));
      });
      let failure: unknown;
      try {
        await node(0).io.timeout(400).emitWithAck('ask');
      } catch (err) {
        failure = err;
      }
      ok(failure instanceof Error, 'the emit must fail');
    });

    api.it('fetchSockets returns the sockets of every node, with their data and rooms', async () => {
      strictEqual(await node(2).client.emitWithAck('join', 'red'), true);
      const sockets = await node(0).io.fetchSockets();
      strictEqual(sockets.length, count);
      deepStrictEqual(sockets.map((s) => (s.data as { node: number }).node).sort(), nodes.map((_, i) => i));
      const inRed = await node(0).io.in('red').fetchSockets();
      strictEqual(inRed.length, 1);
      ok(inRed[0]!.rooms.has('red'));
      const got = next<[string]>(node(2).client, 'direct');
      inRed[0]!.emit('direct', 'to you');
      deepStrictEqual(await got, ['to you']);
    });

    api.it('socketsJoin and socketsLeave reach across nodes', async () => {
      node(0).io.socketsJoin('green');
      await until(async () => (await node(0).io.in('green').fetchSockets()).length === count, 'everyone in green');
      node(1).io.socketsLeave('green');
      await until(async () => (await node(0).io.in('green').fetchSockets()).length === 0, 'green to empty');
    });

    api.it('disconnectSockets reaches across nodes', async () => {
      const gone = next<[string]>(node(2).client, 'disconnect');
      node(0).io.in(node(2).client.id!).disconnectSockets();
      const [reason] = await gone;
      strictEqual(reason, 'io server disconnect');
    });

    api.it('serverSideEmit reaches the other nodes, not the sender', async () => {
      const heard: number[] = [];
      nodes.forEach(({ io }, i) => io.on('ping-nodes', (value: number) => heard.push(i * 100 + value)));
      node(0).io.serverSideEmit('ping-nodes', 7);
      await until(() => heard.length === count - 1, 'the other nodes');
      await settle();
      deepStrictEqual(heard.sort((a, b) => a - b), nodes.slice(1).map((_, i) => (i + 1) * 100 + 7));
    });

    api.it('serverSideEmitWithAck gathers one answer per other node', async () => {
      nodes.forEach(({ io }, i) => io.on('who', (reply: (n: number) => void) => reply(i)));
      const answers = (await node(1).io.serverSideEmitWithAck('who')) as number[];
      deepStrictEqual([...answers].sort(), nodes.map((_, i) => i).filter((i) => i !== 1));
    });
  });
}
