// The leak run's client side: connect/disconnect cycles of every generation and transport against the
// server of leak-server.mjs (a child process with --expose-gc), and its measurements before and after.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type ClientGeneration, socketIoClientV09, socketIoClientV2, socketIoClientV4 } from '@switchyard/testing';

/** One kind of cycle: a generation over one transport. */
export interface LeakCase {
  label: string;
  generation: ClientGeneration;
  transport: 'polling' | 'websocket';
  /** Every `drop`-th cycle the server drops the connection (recovery persists it) instead of the client leaving. */
  drop?: number;
}

export const LEAK_CASES: readonly LeakCase[] = [
  { label: 'v4 websocket', generation: socketIoClientV4, transport: 'websocket', drop: 4 },
  { label: 'v4 polling', generation: socketIoClientV4, transport: 'polling', drop: 4 },
  { label: '2.x websocket', generation: socketIoClientV2, transport: 'websocket' },
  { label: '2.x polling', generation: socketIoClientV2, transport: 'polling' },
  { label: '0.9 websocket', generation: socketIoClientV09, transport: 'websocket' },
  { label: '0.9 xhr-polling', generation: socketIoClientV09, transport: 'polling' },
];

/** What the server reports once its sessions are gone and its heap collected. */
export interface Measure {
  heap: number;
  resources: Record<string, number>;
  sessions: number;
  connections: number;
}

export interface LeakServer {
  url: string;
  measure(): Promise<Measure>;
  stop(): Promise<void>;
}

export async function startLeakServer(): Promise<LeakServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('../leak-server.mjs', import.meta.url)), [], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [ready] = (await once(child, 'message')) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${ready.port}`,
    async measure() {
      const answer = once(child, 'message') as Promise<[Measure]>;
      child.send({ measure: true });
      return (await answer)[0];
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ stop: true });
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One cycle: connect, be answered through the class namespace (which leaves acks pending), leave. */
async function cycle(url: string, one: LeakCase, n: number): Promise<void> {
  const drop = one.drop !== undefined && n % one.drop === 0;
  const client = await one.generation.connect({
    url,
    path: '/socket.io',
    transports: [one.transport],
    ...(drop && { query: { drop: '1' } }),
  });
  try {
    const answer = await client.ask('hello', String(n));
    if (answer !== `re: ${n}`) throw new Error(`${one.label}: answered ${JSON.stringify(answer)}`);
    if (drop) await client.disconnected;
  } finally {
    client.close();
  }
}

export interface RunResult {
  /** Cycles completed per case label. */
  cycles: Record<string, number>;
  failures: string[];
  ms: number;
}

/**
 * Runs `total` cycles, `perCase × cases` at a time: each worker goes round the cases in turn (starting
 * at its own), so every generation and transport gets an even share and a slow one does not leave the
 * others' slots idle at the end. A failed cycle is recorded (its first few messages kept) and the run goes on.
 */
export async function runCycles(
  url: string,
  total: number,
  perCase: number,
  cases: readonly LeakCase[] = LEAK_CASES,
  progress?: (line: string) => void,
): Promise<RunResult> {
  const started = Date.now();
  const cycles: Record<string, number> = Object.fromEntries(cases.map((one) => [one.label, 0]));
  const failures: string[] = [];
  let failed = 0;
  let next = 0;
  const ticker = progress === undefined ? undefined : setInterval(() => progress(JSON.stringify(cycles)), 10_000);
  const worker = async (offset: number): Promise<void> => {
    for (let turn = offset; next < total; turn++) {
      const n = next++;
      const one = cases[turn % cases.length]!;
      try {
        await cycle(url, one, n);
        cycles[one.label]!++;
      } catch (err) {
        if (++failed <= 10) failures.push(`${one.label} #${n}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: perCase * cases.length }, (_, i) => worker(i)));
  clearInterval(ticker);
  if (failed > failures.length) failures.push(`… ${failed - failures.length} more`);
  return { cycles, failures, ms: Date.now() - started };
}

/** Resource types whose counts differ, as `type: before → after`. */
export function resourceChanges(before: Record<string, number>, after: Record<string, number>): string[] {
  const types = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...types].filter((type) => (before[type] ?? 0) !== (after[type] ?? 0)).map((type) => `${type}: ${before[type] ?? 0} → ${after[type] ?? 0}`);
}

export function report(run: RunResult, baseline: Measure, after: Measure): string {
  const total = Object.values(run.cycles).reduce((a, b) => a + b, 0);
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const growth = ((after.heap - baseline.heap) / baseline.heap) * 100;
  const lines = [
    `leak run: ${total} cycles in ${(run.ms / 1000).toFixed(1)} s (${Math.round(total / (run.ms / 1000))}/s), ${run.failures.length === 0 ? 'no failure' : `failures: ${run.failures.join('; ')}`}`,
    ...Object.entries(run.cycles).map(([label, count]) => `  ${label.padEnd(16)} ${count}`),
    `heap after GC: baseline ${mb(baseline.heap)}, after ${mb(after.heap)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%)`,
    `active resources: before ${JSON.stringify(baseline.resources)}, after ${JSON.stringify(after.resources)}`,
    `sessions left: ${after.sessions}, TCP connections left: ${after.connections}`,
  ];
  return lines.join('\n');
}
