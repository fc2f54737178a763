// Runs a snippet as a user would (node, or node with tsx for TypeScript) inside the scratch project, with
// snippet-ports.cjs preloaded so that the port it names is moved to a free one.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const PORTS_SHIM = join(import.meta.dirname, 'snippet-ports.cjs');

export interface RunningServer {
  /** The ports the snippet named, mapped to the ones it listens on. */
  ports: Record<number, number>;
  /** Stops the snippet (SIGTERM, then SIGKILL if it does not leave) and resolves once it exited. */
  stop(): Promise<void>;
  /** What it printed so far. */
  output(): string;
}

function nodeArgs(file: string): string[] {
  return ['--require', PORTS_SHIM, ...(/\.[cm]?ts$/.test(file) ? ['--import', 'tsx'] : []), file];
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stop(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

/** Starts a server snippet and resolves once it listens on `port` (the port it names); rejects if it exits first. */
export function startServer(project: string, file: string, port: number, env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, nodeArgs(file), {
    cwd: project,
    env: { ...process.env, ...env, SWITCHYARD_SNIPPET_ROLE: 'server' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const ports: Record<number, number> = {};
  const server: RunningServer = { ports, stop: () => stop(child), output: () => output };
  return new Promise((resolve, reject) => {
    const early = (code: number | null, signal: string | null): void => reject(new Error(`it exited (${signal ?? code}) before listening on ${port}:\n${output}`));
    child.once('exit', early);
    child.on('message', (message: { requested: number; port: number }) => {
      ports[message.requested] = message.port;
      if (message.requested !== port) return;
      child.off('exit', early);
      resolve(server);
    });
  });
}

/** Runs a client snippet against `ports` and resolves once it exits with 0; rejects on another exit or after `timeoutMs`. */
export async function runClient(project: string, file: string, ports: Record<number, number>, timeoutMs: number): Promise<void> {
  const child = spawn(process.execPath, nodeArgs(file), {
    cwd: project,
    env: { ...process.env, SWITCHYARD_SNIPPET_ROLE: 'client', SWITCHYARD_SNIPPET_PORTS: JSON.stringify(ports) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  let late = false;
  const timer = setTimeout(() => {
    late = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  await exited(child);
  clearTimeout(timer);
  if (late) throw new Error(`the client did not end within ${timeoutMs} ms:\n${output}`);
  if (child.exitCode !== 0) throw new Error(`the client exited with ${child.signalCode ?? child.exitCode}:\n${output}`);
}
