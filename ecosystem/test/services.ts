// Where the tests find Redis (REDIS_URL) and PostgreSQL (PG_URL), and whether they answer. A test that
// needs an absent service skips, saying so, except under CI=true, where that is a failure.
import { randomBytes } from 'node:crypto';
import { redisAnswers, requireService } from '@switchyard/testing';
import { Redis } from 'ioredis';
import pg from 'pg';
import { ATTACHMENTS_TABLE, PG_URL, REDIS_URL } from '../nodes/adapters.mjs';

/** Answers, and has the table @socket.io/postgres-adapter keeps large payloads in (its README's DDL). */
async function postgresReady(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query(`CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const redisUp = requireService('Redis', `${REDIS_URL} (set REDIS_URL)`, await redisAnswers(REDIS_URL));
export const postgresUp = requireService('PostgreSQL', `${PG_URL} (set PG_URL)`, await postgresReady());

/** A key prefix no other run uses, so runs sharing a Redis or a PostgreSQL never meet. */
export const uniqueKey = (name: string): string => `sy-eco-${name}-${randomBytes(5).toString('hex')}`;

/** Deletes what a test left in Redis under `pattern` (the streams adapter's streams and sessions). */
export async function dropRedisKeys(pattern: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  try {
    const keys = await client.keys(pattern);
    if (keys.length > 0) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}
