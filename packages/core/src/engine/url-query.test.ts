import { parse } from 'node:querystring';
import { describe, expect, it } from 'vitest';
import { parseUrlQuery } from './url-query.js';

/** What querystring gives, with the first value of each key: the plain-query fast path must agree. */
function viaQuerystring(url: string): Record<string, string | undefined> {
  const q = url.indexOf('?');
  const out: Record<string, string | undefined> = {};
  if (q === -1) return out;
  const parsed = parse(url.slice(q + 1));
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    out[key] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

describe('parseUrlQuery', () => {
  it.each([
    '/engine.io/?EIO=4&transport=polling&t=PAbc&sid=abc_-123',
    '/p',
    '/p?',
    '/p?a=1&a=2&b',
    '/p?&&a&=x&b==c&',
    '/p?a=1?b=2',
    '/p?__proto__=x&toString=1&toString=2&constructor',
    '/p?a=%41%zz&b=c+d', // decoded by querystring: %41 is A, a malformed escape stays, + is a space
    `/p?${'k=v&'.repeat(400)}`, // longer than the fast path takes
  ])('%s', (url) => {
    const got = parseUrlQuery(url);
    expect(got).toEqual(viaQuerystring(url));
    expect(Object.keys(got)).toEqual(Object.keys(viaQuerystring(url)));
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it('keeps the first of repeated keys and gives a key without "=" an empty value', () => {
    expect(parseUrlQuery('/p?sid=a&sid=b&b64')).toEqual({ sid: 'a', b64: '' });
  });
});
