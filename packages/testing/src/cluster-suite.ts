import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type AdapterConstructor } from '@switchyard/core';
import type { ClientGeneration, GenerationClient } from './client-generation.js';
import { clientGenerations, socketIoClientV09, socketIoClientV4 } from './client-generations.js';
import { type ClusterNode, localClusterNode } from './cluster-node.js';
import { sleep, until } from './wait.js';

/** The few functions of a test runner the suites need (vitest, mocha and node:test all have them). */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>): void;
  beforeEach(fn: () => Promise<void>): void;
  afterEach(fn: () => Promise<void>): void;
  /** With it, `startNodes` nodes are started once per group of cases and reset between cases. */
  afterAll?(fn: () => Promise<void>): void;
}

export interface ClusterSuiteOptions {
  /**
   * A fresh cluster for one test, in this process: the adapter every node's Server is given, and how to
   * tear it down. Give this or `startNodes`.
   */
  createCluster?(): Promise<{ adapter: AdapterConstructor; close?: () => Promise<void> }>;
  /**
   * Or `count` fresh nodes of your own (indexes 0 … count - 1), for nodes in other processes
   * (`forkClusterNodes`) or of another server (a socket.io 4 node in a mixed fleet).
   */
  startNodes?(count: number): Promise<ClusterNode[]>;
  /** How many nodes. Default 3. */
  nodes?: number;
  /** A name for the describe block. */
  name?: string;
  /** The client generations every client-facing case runs with. Default: all the core supports. */
  generations?: readonly ClientGeneration[];
  /** How long to wait for something to cross the cluster. Default 10 s. */
  patience?: number;
}

/** Which generation's client connects to node `i`: one generation on every node, or one each (`mixed`). */
interface Plan {
  name: string;
  generationOf(i: number): ClientGeneration;
}

interface Running {
  nodes: ClusterNode[];
  clients: GenerationClient[];
  ids: string[];
  close?: (() => Promise<void>) | undefined;
}

/** Collects every `event` a client receives, for checks that something did NOT arrive. */
function record(client: GenerationClient, event: string): unknown[][] {
  const seen: unknown[][] = [];
  client.on(event, (...args: never[]) => seen.push(args));
  return seen;
}

const settle = (): Promise<void> => sleep(200);

async function inProcessNodes(options: ClusterSuiteOptions, count: number): Promise<{ nodes: ClusterNode[]; close?: () => Promise<void> }> {
  const cluster = await options.createCluster!();
  const nodes: ClusterNode[] = [];
  for (let index = 0; index < count; index++) {
    const http = createServer();
    const server = new Server(http, { adapter: cluster.adapter });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const close = async (): Promise<void> => {
      await server.close();
      http.closeAllConnections();
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    };
    nodes.push(localClusterNode({ server, index, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close }));
  }
  return { nodes, ...(cluster.close !== undefined && { close: cluster.close }) };
}

/**
 * The cluster conformance suite: several nodes joined by the adapter under test, each with its own
 * http server and a client. Rooms, broadcasts with and without acks, fetchSockets, socketsJoin/Leave,
 * disconnectSockets, serverSideEmit and the adapter's room events must all reach across nodes, for the
 * clients of every generation (one generation on every node, then one generation per node).
 */
export function runClusterConformance(api: TestApi, options: ClusterSuiteOptions): void {
  const count = options.nodes ?? 3;
  const patience = options.patience ?? 10_000;
  const generations = options.generations ?? clientGenerations;
  if (options.createCluster === undefined && options.startNodes === undefined) throw new Error('runClusterConformance: give createCluster or startNodes');
  const plans: Plan[] = [
    ...generations.map((generation) => ({ name: generation.name, generationOf: () => generation })),
    ...(generations.length > 1 ? [{ name: 'one generation per node', generationOf: (i: number) => generations[i % generations.length]! }] : []),
  ];

  api.describe(options.name ?? 'cluster conformance', () => {
    for (const plan of plans) {
      api.describe(plan.name, () => defineCases(plan));
    }
  });

  function defineCases(plan: Plan): void {
    let r: Running | undefined;
    const running = (): Running => r!;
    const node = (i: number): ClusterNode => running().nodes[i]!;
    const client = (i: number): GenerationClient => running().clients[i]!;
    const wait = (check: () => boolean | Promise<boolean>, what: string): Promise<void> => until(check, what, patience);
    const generationOn = (n: ClusterNode): ClientGeneration => {
      const wanted = plan.generationOf(n.index);
      return n.serves === undefined || n.serves.includes(wanted.name) ? wanted : socketIoClientV4;
    };

    // Nodes of another process take seconds to start: with afterAll they serve every case of the group.
    const reuse = options.startNodes !== undefined && api.afterAll !== undefined;
    let kept: ClusterNode[] | undefined;
    const closeNodes = async (nodes: ClusterNode[]): Promise<void> => {
      for (const n of nodes) await n.close();
    };
    if (reuse) {
      api.afterAll!(async () => {
        const nodes = kept;
        kept = undefined;
        if (nodes !== undefined) await closeNodes(nodes);
      });
    }

    api.beforeEach(async () => {
      r = { nodes: [], clients: [], ids: [] };
      if (kept !== undefined) {
        r.nodes = kept;
        await Promise.all(kept.map((n) => n.call('reset')));
      } else if (options.startNodes !== undefined) {
        r.nodes = await options.startNodes(count);
        if (reuse) kept = r.nodes;
      } else Object.assign(r, await inProcessNodes(options, count));
      // Node 1's client long-polls, the others use websocket.
      r.clients = await Promise.all(
        r.nodes.map((n) => generationOn(n).connect({ url: n.url, path: '/socket.io/', transports: n.index === 1 ? ['polling'] : ['websocket'] })),
      );
      r.ids = (await Promise.all(r.clients.map((c) => c.ask('whoami', '')))) as string[];
      await wait(async () => (await Promise.all(running().nodes.map((n) => n.call('serverCount')))).every((n) => n === count), `${count} nodes to see each other`);
      await wait(async () => (await node(0).call('fetchSockets', {})).length === count, `the ${count} clients, and only them, in the cluster`);
    });

    api.afterEach(async () => {
      const done = r;
      r = undefined;
      if (done === undefined) return;
      for (const c of done.clients) c.close();
      if (!reuse) await closeNodes(done.nodes);
      await done.close?.();
    });

    api.it('a broadcast from one node reaches the clients of every node', async () => {
      const seen = running().clients.map((c) => record(c, 'hello'));
      await node(0).call('emit', {}, 'hello', ['world', { n: 1 }]);
      await wait(() => seen.every((s) => s.length === 1), 'every client to get the broadcast');
      deepStrictEqual(seen, seen.map(() => [['world', { n: 1 }]]));
    });

    // 0.9 has no binary.
    const binary = Array.from({ length: count }, (_, i) => plan.generationOf(i)).every((generation) => generation !== socketIoClientV09);
    if (binary) {
      api.it('binary survives the trip between nodes', async () => {
        const seen = record(client(1), 'bytes');
        await node(0).call('emit', {}, 'bytes', [Buffer.from([1, 2, 3, 250])]);
        await wait(() => seen.length === 1, 'the bytes');
        deepStrictEqual([...new Uint8Array(seen[0]![0] as ArrayBuffer)], [1, 2, 3, 250]);
      });
    }

    api.it('rooms and except reach across nodes', async () => {
      strictEqual(await client(1).ask('join', 'blue'), true);
      strictEqual(await client(2).ask('join', 'blue'), true);
      strictEqual(await client(2).ask('join', 'muted'), true);
      const seen = running().clients.map((c) => record(c, 'news'));
      await node(0).call('emit', { to: ['blue'], except: ['muted'] }, 'news', [1]);
      await wait(() => seen[1]!.length === 1, 'node 1 to get the room broadcast');
      await settle();
      deepStrictEqual(seen.map((s) => s.length), seen.map((_, i) => (i === 1 ? 1 : 0)));
    });

    api.it('local broadcasts stay on their node', async () => {
      const seen = running().clients.map((c) => record(c, 'local'));
      await node(1).call('emit', { local: true }, 'local', ['only here']);
      await wait(() => seen[1]!.length === 1, 'the local client');
      await settle();
      deepStrictEqual(seen.map((s) => s.length), seen.map((_, i) => (i === 1 ? 1 : 0)));
    });

    api.it('a broadcast with acks gathers every client of every node', async () => {
      running().clients.forEach((c, i) => c.on('ask', (reply: (n: number) => void) => reply(i)));
      const answer = await node(0).call('emitWithAck', {}, patience, 'ask');
      ok('responses' in answer, `the broadcast failed: ${JSON.stringify(answer)}`);
      deepStrictEqual([...(answer.responses as number[])].sort(), running().nodes.map((_, i) => i));
    });

    api.it('a broadcast with acks times out when a client on another node stays silent', async () => {
      running().clients.forEach((c, i) => {
        if (i !== 2) c.on('ask', (reply: (n: number) => void) => reply(i));
      });
      const answer = await node(0).call('emitWithAck', {}, 500, 'ask');
      ok('error' in answer, 'the emit must fail');
    });

    api.it('fetchSockets returns the sockets of every node, with their data and rooms, and emits to one', async () => {
      strictEqual(await client(2).ask('join', 'red'), true);
      const sockets = await node(0).call('fetchSockets', {});
      deepStrictEqual(sockets.map((s) => s.node).sort(), running().nodes.map((_, i) => i));
      deepStrictEqual(sockets.map((s) => s.id).sort(), [...running().ids].sort());
      const inRed = await node(0).call('fetchSockets', { to: ['red'] });
      deepStrictEqual(inRed.map((s) => [s.id, [...s.rooms].sort()]), [[running().ids[2], [running().ids[2], 'red'].sort()]]);
      const seen = record(client(2), 'direct');
      await node(0).call('emitToFetched', running().ids[2]!, 'direct', ['to you']);
      await wait(() => seen.length === 1, 'the emit through the fetched socket');
      deepStrictEqual(seen, [['to you']]);
    });

    api.it('socketsJoin and socketsLeave reach across nodes, and a room broadcast follows them', async () => {
      await node(0).call('socketsJoin', {}, 'green');
      await wait(async () => (await node(0).call('fetchSockets', { to: ['green'] })).length === count, 'everyone in green');
      const seen = running().clients.map((c) => record(c, 'in-green'));
      await node(2).call('emit', { to: ['green'] }, 'in-green', [true]);
      await wait(() => seen.every((s) => s.length === 1), 'every client of green');
      await node(1).call('socketsLeave', { to: [running().ids[0]!] }, 'green');
      await wait(async () => (await node(2).call('fetchSockets', { to: ['green'] })).length === count - 1, 'node 0’s client to leave green');
      await node(1).call('socketsLeave', {}, 'green');
      await wait(async () => (await node(0).call('fetchSockets', { to: ['green'] })).length === 0, 'green to empty');
    });

    api.it('disconnectSockets reaches across nodes', async () => {
      await node(0).call('disconnectSockets', { to: [running().ids[2]!] });
      await client(2).disconnected;
      await wait(async () => (await node(1).call('fetchSockets', {})).length === count - 1, 'the socket to be gone from the cluster');
    });

    api.it('the adapter of a node emits its room events for an operation made on another node', async () => {
      const id = running().ids[1]!;
      await node(0).call('socketsJoin', { to: [id] }, 'yellow');
      await wait(async () => (await node(1).call('roomEvents')).some(([name, room]) => name === 'join-room' && room === 'yellow'), 'join-room on node 1');
      await node(2).call('socketsLeave', { to: [id] }, 'yellow');
      await wait(async () => (await node(1).call('roomEvents')).some(([name]) => name === 'delete-room'), 'delete-room on node 1');
      const events = (await node(1).call('roomEvents')).filter(([, room]) => room === 'yellow');
      deepStrictEqual(events, [
        ['create-room', 'yellow'],
        ['join-room', 'yellow', id],
        ['leave-room', 'yellow', id],
        ['delete-room', 'yellow'],
      ]);
    });

    if (plan === plans[0]) {
      api.it('serverSideEmit reaches the other nodes, not the sender', async () => {
        for (const n of running().nodes) await n.call('listen', 'ping-nodes');
        await node(0).call('serverSideEmit', 'ping-nodes', [7, 'x']);
        await wait(async () => (await node(count - 1).call('heard', 'ping-nodes')).length === 1, 'the last node');
        await settle();
        const heard = await Promise.all(running().nodes.map((n) => n.call('heard', 'ping-nodes')));
        deepStrictEqual(heard, heard.map((_, i) => (i === 0 ? [] : [[7, 'x']])));
      });

      api.it('serverSideEmitWithAck gathers one answer per other node', async () => {
        for (const n of running().nodes) await n.call('answer', 'who', n.index);
        const answers = await node(1).call('serverSideEmitWithAck', 'who');
        deepStrictEqual([...(answers as number[])].sort(), running().nodes.map((_, i) => i).filter((i) => i !== 1));
      });
    }
  }
}
