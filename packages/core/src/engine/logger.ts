/** What a log line carries beside its message: `sid`, `nsp`, `event`, `code`, `err` (an Error), … */
export type LogFields = Record<string, unknown>;

/**
 * Where the server's own messages go: any object with these four methods, called as pino (and bunyan)
 * are, the fields first and the message second. A pino logger is one as it is; winston's take the message
 * first, so a winston logger is handed in through four one-line functions (docs/observability.md shows both).
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** `key=value` for one field, on one line: an Error as its name and message (the stack is left out). */
function formatField(key: string, value: unknown): string {
  if (value instanceof Error) return `${key}=${value.name}: ${value.message}`;
  if (typeof value === 'string') return `${key}=${/^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return `${key}=${text}`;
}

/** `[switchyard] <message> key=value …`: one line, whatever the fields hold. */
export function formatLogLine(fields: LogFields, message: string): string {
  let line = `[switchyard] ${message}`;
  for (const key of Object.keys(fields)) {
    if (fields[key] !== undefined) line += ' ' + formatField(key, fields[key]);
  }
  return line;
}

function ignore(): void {}

/**
 * The default: warnings and errors on the console (stderr), one line each; debug and info are dropped
 * (the `debug` package's `DEBUG=switchyard:*` shows far more, for whoever wants it).
 */
export const consoleLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (fields, message) => console.warn(formatLogLine(fields, message)),
  error: (fields, message) => console.error(formatLogLine(fields, message)),
};

/** Refuses, at construction, a `logger` option that lacks one of the four methods. */
export function checkLogger(logger: unknown): Logger {
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof (logger as Partial<Logger> | null)?.[level] !== 'function') {
      throw new TypeError(`option logger must have debug, info, warn and error methods (no ${level})`);
    }
  }
  return logger as Logger;
}
