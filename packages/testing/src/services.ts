// Whether the services some tests need answer, and the one rule for when they do not: the tests that need
// them skip with a message saying so, except under CI=true, where a missing service is a failure.
import { connect } from 'node:net';

/** Where the tests find Redis: `REDIS_URL`, default `redis://127.0.0.1:6379`. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether a Redis server answers a `PING` at `url` within `timeout` ms (after `AUTH` when the URL has a
 * password). Spoken in RESP over a plain TCP connection, so the kit needs no Redis client.
 */
export function redisAnswers(url: string = REDIS_URL, timeout = 2000): Promise<boolean> {
  const { hostname, port, username, password } = new URL(url);
  const auth = password === '' ? '' : `AUTH ${username === '' ? '' : `${decodeURIComponent(username)} `}${decodeURIComponent(password)}\r\n`;
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    let answer = '';
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeout, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(`${auth}PING\r\n`));
    socket.on('data', (data: Buffer) => {
      answer += data.toString('latin1');
      if (answer.includes('+PONG\r\n')) done(true);
      else if (answer.startsWith('-') || answer.includes('\r\n-')) done(false);
    });
  });
}

/**
 * Passes `up` through, saying when a service is missing: a warning (the tests that need it skip), or,
 * under CI=true, an error. `where` names where it was looked for (`redis://… (set REDIS_URL)`).
 */
export function requireService(name: string, where: string, up: boolean): boolean {
  if (!up) {
    const message = `no ${name} answers at ${where}: the tests that need it are skipped`;
    if (process.env.CI === 'true') throw new Error(`${message}, which CI=true does not allow`);
    console.warn(message);
  }
  return up;
}
