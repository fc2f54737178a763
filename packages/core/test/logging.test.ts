// Logs: the `debug` namespaces (DEBUG=switchyard:*) and the `logger` option, with the official clients of
// every generation (socket.io-client 4.x, 2.x and 0.9.16).
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import createDebug from 'debug';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientGenerations, type GenerationClient } from '../../testing/src/client-generations.js';
import { until } from '../../testing/src/wait.js';
import { BaseNamespace, type LogFields, type Logger, Server, type ServerOptions, type Socket } from '../src/index.js';

type Level = keyof Logger;
interface Entry {
  level: Level;
  fields: LogFields;
  message: string;
}

/** A logger that keeps every call, as pino or winston would receive them. */
function recordingLogger(): Logger & { entries: Entry[] } {
  const entries: Entry[] = [];
  const record = (level: Level) => (fields: LogFields, message: string) => void entries.push({ level, fields, message });
  return { entries, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

const LABEL: Record<string, string> = { 'socket.io-client@4': '4.x', 'socket.io-client@2': '2.x', 'socket.io-client@0.9.16': '0.9' };
const labelOf = (name: string): string => LABEL[Object.keys(LABEL).find((prefix) => name.startsWith(prefix)) ?? ''] ?? name;

let httpServer: HttpServer | undefined;
let io: Server | undefined;
let clients: GenerationClient[] = [];

afterEach(async () => {
  for (const client of clients) client.close();
  clients = [];
  await io?.close();
  io = undefined;
  httpServer = undefined;
  vi.restoreAllMocks();
});

async function start(options: ServerOptions = {}): Promise<{ io: Server; url: string }> {
  httpServer = createServer();
  io = new Server(httpServer, { serveClient: false, ...options });
  await new Promise<void>((resolve) => httpServer!.listen(0, '127.0.0.1', resolve));
  return { io, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}

async function connect(url: string, generation: (typeof clientGenerations)[number]): Promise<GenerationClient> {
  const client = await generation.connect({ url, path: '/socket.io', transports: ['polling', 'websocket'] });
  clients.push(client);
  return client;
}

describe('DEBUG=switchyard:*', () => {
  let child: ChildProcess | undefined;

  afterEach(async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    child = undefined;
  });

  it('prints the handshake of every generation, with its sid, generation and transport, and each close with its reason', async () => {
    child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'debug-server.mjs')], {
      env: { ...process.env, DEBUG: 'switchyard:*', DEBUG_COLORS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = (): Record<string, unknown>[] => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    await until(() => lines().some((line) => line.port !== undefined), 'the child server listening', 20_000);
    const url = `http://127.0.0.1:${String(lines().find((line) => line.port !== undefined)!.port)}`;

    for (const generation of clientGenerations) {
      const before = lines().length;
      const client = await connect(url, generation);
      expect(await client.ask('ask', 'hello')).toBe('hello');
      await until(() => lines().length > before, `the connection of ${generation.name}`);
      const sid = String(lines()[before]!.sid);
      const label = labelOf(generation.name);
      const handshake = label === '0.9' ? `handshake sid=${sid} generation=0.9` : `handshake sid=${sid} generation=${label} transport=polling`;
      await until(() => stderr.includes(handshake), `"${handshake}" on stderr`);
      expect(stderr).toMatch(new RegExp(`switchyard:engine(:legacy)? ${handshake}`));
      client.close();
      await until(() => stderr.includes(`close sid=${sid} reason=`), `the close of ${sid} (${generation.name}) on stderr`);
    }
    expect(stderr).toContain('switchyard:realtime connect socket=');
    expect(stderr).toContain('switchyard:engine:legacy open sid=');
  }, 60_000);
});

describe('with DEBUG off', () => {
  /** Counts what `debug` does once a namespace is enabled: coerce, format and write its arguments. */
  function countFormatting(): { calls: () => number; restore: () => void } {
    let calls = 0;
    const saved = { formatArgs: createDebug.formatArgs, log: createDebug.log, coerce: createDebug.coerce };
    createDebug.formatArgs = function (this: createDebug.Debugger, args: unknown[]) {
      calls++;
      saved.formatArgs.call(this, args);
    };
    createDebug.coerce = (value: unknown) => {
      calls++;
      return saved.coerce(value);
    };
    createDebug.log = () => void calls++;
    return { calls: () => calls, restore: () => Object.assign(createDebug, saved) };
  }

  /** Connects, events, acks, broadcasts and disconnects of every generation. */
  async function traffic(logger: Logger): Promise<void> {
    const { io, url } = await start({ logger });
    io.on('connection', (socket: Socket) => {
      void socket.join('room');
      socket.on('ask', (value: string, ack: (answer: string) => void) => {
        io.to('room').emit('news', value);
        ack(value);
      });
    });
    for (const generation of clientGenerations) {
      const client = await connect(url, generation);
      const news: unknown[] = [];
      client.on('news', (value: never) => void news.push(value));
      for (let i = 0; i < 3; i++) expect(await client.ask('ask', `m${i}`)).toBe(`m${i}`);
      await until(() => news.length >= 3, `the broadcasts to ${generation.name}`);
    }
    for (const client of clients) client.close();
    await until(() => io.sockets.sockets.size === 0, 'every socket gone');
  }

  it('formats nothing and calls no logger during connects, events, acks and broadcasts of every generation', async () => {
    const previous = createDebug.disable();
    const counter = countFormatting();
    const logger = recordingLogger();
    try {
      await traffic(logger);
      expect(counter.calls()).toBe(0);
      expect(logger.entries).toEqual([]);
    } finally {
      counter.restore();
      if (previous) createDebug.enable(previous);
    }
  }, 60_000);

  it('(the same traffic with switchyard:* enabled does format: the count above can fail)', async () => {
    const previous = createDebug.disable();
    const counter = countFormatting();
    createDebug.enable('switchyard:*');
    try {
      await traffic(recordingLogger());
      expect(counter.calls()).toBeGreaterThan(0);
    } finally {
      createDebug.disable();
      counter.restore();
      if (previous) createDebug.enable(previous);
    }
  }, 60_000);
});

describe('the logger option', () => {
  it.each(clientGenerations.map((generation) => [generation.name, generation] as const))(
    '%s: a listener that throws is one error call with the socket id, namespace and event name; the console is untouched',
    async (_name, generation) => {
      const consoleError = vi.spyOn(console, 'error');
      const consoleWarn = vi.spyOn(console, 'warn');
      const logger = recordingLogger();
      const { io, url } = await start({ logger });
      const ids: string[] = [];
      io.on('connection', (socket: Socket) => {
        ids.push(socket.id);
        socket.on('boom', () => {
          throw new Error('the listener broke');
        });
        socket.on('ask', (value: string, ack: (answer: string) => void) => ack(value));
      });
      const client = await connect(url, generation);
      client.on('noop', () => {});
      for (let i = 0; i < 2; i++) {
        // A packet the server reads after `boom` tells that `boom` was handled.
        void client.ask('boom', 'x').catch(() => {});
        expect(await client.ask('ask', 'after')).toBe('after');
      }
      await until(() => logger.entries.filter((entry) => entry.level === 'error').length >= 2, 'two error calls');
      const errors = logger.entries.filter((entry) => entry.level === 'error');
      expect(errors).toHaveLength(2);
      for (const entry of errors) {
        expect(entry.message).toBe('a listener threw');
        expect(entry.fields).toMatchObject({ socket: ids[0], nsp: '/', event: 'boom' });
        expect((entry.fields.err as Error).message).toBe('the listener broke');
      }
      expect(consoleError).not.toHaveBeenCalled();
      expect(consoleWarn).not.toHaveBeenCalled();
    },
  );

  it('a refused request is logged at debug with its engine.io code and reason, for the Engine.IO and the 0.9 endpoints', async () => {
    const consoleError = vi.spyOn(console, 'error');
    const logger = recordingLogger();
    const { url } = await start({ logger });
    expect((await fetch(`${url}/socket.io/?EIO=4&transport=polling&sid=nobody`)).status).toBe(400);
    expect((await fetch(`${url}/socket.io/?EIO=9&transport=polling`)).status).toBe(400);
    expect((await fetch(`${url}/socket.io/1/xhr-polling/nobody`)).status).toBe(200);
    expect(logger.entries).toEqual([
      { level: 'debug', message: 'request refused', fields: { code: 1, reason: 'Session ID unknown', sid: 'nobody' } },
      { level: 'debug', message: 'request refused', fields: { code: 5, reason: 'Unsupported protocol version', protocol: 9 } },
      { level: 'debug', message: 'request refused', fields: { code: 1, reason: 'Session ID unknown', sid: 'nobody', status: 200 } },
    ]);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it("an engine middleware's refusal is the application's: logged at debug, not as a server failure", async () => {
    const logger = recordingLogger();
    const { io, url } = await start({ logger });
    io.engine.use((_req: unknown, _res: unknown, next: (err?: Error) => void) => next(new Error('denied')));
    expect((await fetch(`${url}/socket.io/?EIO=4&transport=polling`)).status).toBe(400);
    expect(logger.entries.map((entry) => [entry.level, entry.message, entry.fields.name])).toEqual([['debug', 'request refused', 'MIDDLEWARE_FAILURE']]);
  });

  it('a job of a namespace class that fails is one error call', async () => {
    const logger = recordingLogger();
    const { io, url } = await start({ logger });
    io.register('/', class extends BaseNamespace {
      onStart(): void {
        this.spawn(() => Promise.reject(new Error('the job broke')));
      }
      onAsk(value: string): string {
        return value;
      }
    });
    const client = await connect(url, clientGenerations[0]!);
    void client.ask('start', 'x').catch(() => {});
    await until(() => logger.entries.length > 0, 'the job error');
    expect(logger.entries).toHaveLength(1);
    expect(logger.entries[0]).toMatchObject({ level: 'error', message: 'a job of a namespace class failed', fields: { nsp: '/', event: 'job' } });
  });

  it('is refused without its four methods', () => {
    expect(() => new Server({ logger: { warn() {}, error() {} } as unknown as Logger })).toThrow(/debug, info, warn and error/);
  });

  it('defaults to the console: a listener that throws is one line on console.error, the error as a field', async () => {
    const lines: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args));
    const { io, url } = await start();
    io.on('connection', (socket: Socket) => {
      socket.on('boom', () => {
        throw new TypeError('the listener broke');
      });
      socket.on('ask', (value: string, ack: (answer: string) => void) => ack(value));
    });
    const client = await connect(url, clientGenerations[0]!);
    void client.ask('boom', 'x').catch(() => {});
    expect(await client.ask('ask', 'after')).toBe('after');
    await until(() => lines.length > 0, 'the console line');
    expect(lines).toHaveLength(1);
    const [line] = lines[0] as [string];
    expect(lines[0]).toHaveLength(1);
    expect(line).not.toContain('\n');
    const socketId = [...io.sockets.sockets.keys()][0]!;
    expect(line).toBe(`[switchyard] a listener threw socket=${socketId} nsp=/ event=boom err=TypeError: the listener broke`);
  });
});
