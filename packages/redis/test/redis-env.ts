// Where the tests find Redis: REDIS_URL (default redis://127.0.0.1:6379). With no Redis answering, the
// Redis tests skip with a message, except under CI=true, where that is a failure.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function probe(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export const redisAnswers = await probe(REDIS_URL);

if (!redisAnswers) {
  const message = `no Redis answers at ${REDIS_URL} (set REDIS_URL): the Redis tests are skipped`;
  if (process.env.CI === 'true') throw new Error(`${message}, which CI=true does not allow`);
  console.warn(message);
}

/** A key prefix no other test run uses, so parallel runs on the shared Redis never meet. */
export function uniqueKey(name: string): string {
  return `sy-test:${name}:${randomBytes(6).toString('hex')}`;
}

/** A client for the tests that never prints an unhandled error when Redis goes away. */
export function newClient(url = REDIS_URL): Redis {
  const client = new Redis(url, { maxRetriesPerRequest: 3 });
  client.on('error', () => {});
  return client;
}
