// A redis-server of the test's own, on a free port, that the test may kill and start again (never the
// shared one on 6379).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface OwnRedis {
  port: number;
  url: string;
  /** Kills the server at once, as a crash or a network cut would. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function startOwnRedis(options: { port?: number; args?: string[]; cwd?: string } = {}): Promise<OwnRedis> {
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])];
    const started = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'], ...(options.cwd !== undefined && { cwd: options.cwd }) });
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
    started.stdout!.resume();
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}

export interface OwnRedisCluster {
  ports: number[];
  stop(): Promise<void>;
}

/** Three masters forming a Redis Cluster in a temporary folder (ports below 55535: the bus is port + 10000). */
export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'sy-redis-cluster-'));
  const ports: number[] = [];
  for (let port = 21000 + Math.floor(Math.random() * 20000); ports.length < 3; port++) {
    if ((await isFree(port)) && (await isFree(port + 10000))) ports.push(port);
  }
  const servers = await Promise.all(
    ports.map((port) =>
      startOwnRedis({ port, cwd: dir, args: ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`] }),
    ),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    // Wait until every node agrees the cluster is up.
    for (const port of ports) {
      for (let i = 0; ; i++) {
        const { stdout } = await promisify(execFile)('redis-cli', ['-p', String(port), 'cluster', 'info']);
        if (stdout.includes('cluster_state:ok')) break;
        if (i > 100) throw new Error(`the Redis Cluster did not come up: ${stdout}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { ports, stop };
}
