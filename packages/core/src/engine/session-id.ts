import { randomBytes } from 'node:crypto';

// 120 bits, as engine.io's ids: 20 characters, the length @socket.io/sticky's sid matcher takes.
const ID_BYTES = 15;
const POOL_IDS = 128;

let pool = Buffer.alloc(0);
let offset = 0;

/**
 * A fresh session id: 120 bits from the CSPRNG, base64url (20 characters of `[A-Za-z0-9_-]`, URL-safe).
 * Random bytes are drawn in batches so a burst of handshakes costs one system call per 128 ids.
 */
export function generateSessionId(): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  // Wipe what was handed out so the pool never holds a live id.
  pool.fill(0, offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return id;
}
