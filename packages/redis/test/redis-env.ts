// Where the tests find Redis: REDIS_URL (default redis://127.0.0.1:6379). With no Redis answering, the
// Redis tests skip with a message, except under CI=true, where that is a failure.
import { randomBytes } from 'node:crypto';
import { REDIS_URL, redisAnswers as redisPing, requireService } from '@switchyard/testing';
import { Redis } from 'ioredis';

export { REDIS_URL };

export const redisAnswers = requireService('Redis', `${REDIS_URL} (set REDIS_URL)`, await redisPing(REDIS_URL));

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
