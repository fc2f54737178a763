// The sign-in cookie's value: the name and an HMAC-SHA256 of it under SESSION_SECRET, so the `/me`
// namespace trusts only names this server signed. Shared by the /login route and server.mjs.
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.SESSION_SECRET ?? 'switchyard example: set SESSION_SECRET';

const mac = (payload) => createHmac('sha256', secret).update(payload).digest('base64url');

/** `name` as a cookie value: `<name, base64url>.<signature>`. */
export function signName(name) {
  const payload = Buffer.from(name, 'utf8').toString('base64url');
  return `${payload}.${mac(payload)}`;
}

/** The name in a cookie value this server signed, or undefined for anything else. */
export function verifyName(value) {
  const dot = value.lastIndexOf('.');
  if (dot < 0) return undefined;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(payload), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return Buffer.from(payload, 'base64url').toString('utf8');
}
