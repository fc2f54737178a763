// The Redis the tests run against: whether it answers (else the test skips with a message, or fails under
// CI=true), a key of their own for each run, so that runs in parallel on one Redis never share a cluster,
// rooms or history, and the removal of everything kept under that key.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when Redis answers a PING; `what` names the skipped test in the message. */
export async function redisAvailable(what) {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error(`Redis is required on CI but ${REDIS_URL} does not answer (set REDIS_URL)`);
    console.warn(`[${what}] skipped: no Redis at ${REDIS_URL} (start one, or set REDIS_URL)`);
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A REDIS_KEY for the nodes of one test run. */
export const uniqueKey = () => `redis-chat-test-${randomUUID()}`;

/** Deletes every Redis key that starts with `key`: the chat's rooms and history, the cluster's streams. */
export async function removeKeys(key) {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = [];
    for await (const batch of redis.scanStream({ match: `${key}*`, count: 500 })) keys.push(...batch);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
