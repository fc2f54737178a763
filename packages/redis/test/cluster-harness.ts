// Starts Switchyard processes that form one server over Redis, and a load balancer in front of them
// that has no sticky sessions: every HTTP request and every websocket goes to the next node in turn.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { io as connectClient, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { REDIS_URL } from './redis-env.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/node.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export interface NodeProcess {
  index: number;
  port: number;
  child: ChildProcess;
  url: string;
}

export interface StartNodesOptions {
  count: number;
  key: string;
  redisUrl?: string;
  recovery?: boolean;
  /** The nodes' `forwardTimeout`. Default 10000 ms. */
  forwardTimeout?: number;
  /** How many nodes a node waits to see before it reports ready. Default `count`. */
  expect?: number;
  /** The Server's own heartbeats (pingInterval 25 s, 0.9's heartbeats…) instead of the tests' short ones. */
  defaultHeartbeats?: boolean;
}

/** Every node process started and not yet stopped, so that a failed test still ends them all. */
const running = new Set<ChildProcess>();

export async function startNode(index: number, options: StartNodesOptions): Promise<NodeProcess> {
  if (!existsSync(DIST)) throw new Error('packages/redis/dist is missing: run `pnpm build` first');
  const child = fork(FIXTURE, [], {
    env: { ...process.env, REDIS_URL: options.redisUrl ?? REDIS_URL, KEY: options.key, NODE: String(index), COUNT: String(options.expect ?? options.count), RECOVERY: options.recovery === true ? '1' : '0', FORWARD_TIMEOUT: String(options.forwardTimeout ?? 10_000), HEARTBEATS: options.defaultHeartbeats === true ? 'default' : 'short' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const [message] = (await once(child, 'message')) as [{ port: number }];
  return { index, port: message.port, child, url: `http://127.0.0.1:${message.port}` };
}

export async function startNodes(options: StartNodesOptions): Promise<NodeProcess[]> {
  return Promise.all(Array.from({ length: options.count }, (_, i) => startNode(i, options)));
}

/** Asks a node to close; kills it if it does not exit within a few seconds. */
export async function stopNode(node: NodeProcess): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = once(node.child, 'exit');
  node.child.send({ type: 'close' });
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Kills whatever node process is still running (those a test could not stop in order). */
export async function killRunningNodes(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

/** Stops `nodes` together, then kills any node process still running (one a failed test left behind). */
export async function stopAll(nodes: readonly NodeProcess[]): Promise<void> {
  await Promise.all(nodes.map(stopNode));
  await killRunningNodes();
}

/** What a test behind a balancer opened, closed after it in order: its clients, the balancer, the nodes. */
export async function closeFleet(clients: readonly { close(): void }[], balancer: LoadBalancer | undefined, nodes: readonly NodeProcess[]): Promise<void> {
  for (const client of clients) client.close();
  await balancer?.close();
  await stopAll(nodes);
}

export async function redisErrors(node: NodeProcess): Promise<number> {
  const answer = once(node.child, 'message');
  node.child.send({ type: 'errors' });
  const [message] = (await answer) as [{ errors: number }];
  return message.errors;
}

export interface LoadBalancer {
  url: string;
  /** The nodes requests go to, in turn. */
  targets: number[];
  /** How many HTTP requests and websockets went to each port. */
  readonly hits: Map<number, number>;
  /** When set and it returns a port, the request (or websocket) goes there instead. */
  choose: ((url: string, upgrade: boolean) => number | undefined) | undefined;
  /** Ends every connection it carries (clients see their transport drop). */
  dropConnections(): void;
  close(): Promise<void>;
}

/** A round-robin HTTP and websocket balancer over `ports`, with no affinity of any kind. */
export async function startLoadBalancer(ports: number[]): Promise<LoadBalancer> {
  let turn = 0;
  const balancer: Pick<LoadBalancer, 'targets' | 'choose' | 'hits'> = { targets: [...ports], choose: undefined, hits: new Map() };
  const next = (req: IncomingMessage, upgrade: boolean): number => {
    const port = balancer.choose?.(req.url ?? '/', upgrade) ?? balancer.targets[turn++ % balancer.targets.length]!;
    balancer.hits.set(port, (balancer.hits.get(port) ?? 0) + 1);
    return port;
  };
  const sockets = new Set<Socket>();
  const server: HttpServer = createServer((req: IncomingMessage, res) => {
    const upstream = request({ host: '127.0.0.1', port: next(req, false), method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstream = connect(next(req, true), '127.0.0.1', () => {
      let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) raw += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(raw + '\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.once('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(balancer, {
    url: `http://127.0.0.1:${port}`,
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A request that opens a session: Engine.IO's without a sid, or 0.9's `/socket.io/1/`. */
export function isHandshake(url: string): boolean {
  const { pathname, searchParams } = new URL(url, 'http://x');
  return pathname === '/socket.io/1/' || (pathname === '/socket.io/' && !searchParams.has('sid'));
}

export type ClientOptions = Partial<ManagerOptions & SocketOptions>;

/** A socket.io-client@4 socket, connected, that the caller closes (see `closeAll`). */
export async function client(url: string, options: ClientOptions = {}): Promise<ClientSocket> {
  const socket = connectClient(url, { forceNew: true, reconnection: false, ...options });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection to ${url}`)), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return socket;
}

/** Any listener: the clients pass whatever the server sent. */
export type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Any client: socket.io-client 4.x's socket, or an `AnyClient` of another generation. */
interface Listenable {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

export function nextEvent<T extends unknown[]>(socket: Listenable, event: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${ms} ms`)), ms);
    socket.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args as T);
    });
  });
}

export function record(socket: Listenable, event: string): unknown[][] {
  const seen: unknown[][] = [];
  socket.on(event, (...args: unknown[]) => seen.push(args));
  return seen;
}

export { sleep, until } from '@switchyard/testing';
