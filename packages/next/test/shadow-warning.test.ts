// The shadow warning without Next: an http server whose own handler answers under Switchyard's path
// stands for a Next route that overlaps it. The warning goes to the Server's logger unless `warn` is given.
import { createServer, type Server as HttpServer } from 'node:http';
import { type LogFields, type Logger, Server } from '@switchyard/core';
import { until } from '@switchyard/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { switchyard } from '../src/index.js';

function recordingLogger(): Logger & { warnings: [LogFields, string][] } {
  const warnings: [LogFields, string][] = [];
  const ignore = (): void => {};
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (fields, message) => void warnings.push([fields, message]) };
}

describe('the shadow warning', () => {
  let server: HttpServer | undefined;
  let io: Server | undefined;

  afterEach(async () => {
    await io?.close();
    io = undefined;
    server?.closeAllConnections();
    await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(undefined)));
    server = undefined;
    vi.restoreAllMocks();
  });

  async function overlapping(options: Parameters<typeof switchyard>[2], logger?: Logger): Promise<void> {
    server = createServer((_req, res) => res.writeHead(200).end('a page of the app'));
    io = new Server({ path: '/rt', ...(logger !== undefined && { logger }) });
    switchyard(server, io, options);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  }

  it("goes to the Server's logger, and not to the console", async () => {
    const consoleWarn = vi.spyOn(console, 'warn');
    const logger = recordingLogger();
    await overlapping({}, logger);
    await until(() => logger.warnings.length > 0, 'the warning');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]![0]).toEqual({ path: '/rt/' });
    expect(logger.warnings[0]![1]).toMatch(/^@switchyard\/next: Next answers 200 at \/rt\/switchyard-shadow-check/);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('goes to the `warn` option instead when it is given', async () => {
    const logger = recordingLogger();
    const warnings: string[] = [];
    await overlapping({ warn: (message) => warnings.push(message) }, logger);
    await until(() => warnings.length > 0, 'the warning');
    expect(warnings[0]).toContain('/rt/');
    expect(logger.warnings).toEqual([]);
  });

  it('is one console line with the default logger', async () => {
    const lines: unknown[][] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void lines.push(args));
    await overlapping({});
    await until(() => lines.length > 0, 'the warning');
    expect(lines).toHaveLength(1);
    expect(String(lines[0]![0])).toMatch(/^\[switchyard\] @switchyard\/next: Next answers 200 .* path=\/rt\/$/);
  });
});
