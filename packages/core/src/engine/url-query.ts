import { parse as parseQueryString } from 'node:querystring';

/** The query of a request URL, with the first value of each key (`?a=1&a=2` gives `a: '1'`). */
export function parseUrlQuery(url: string): Record<string, string | undefined> {
  const q = url.indexOf('?');
  const out: Record<string, string | undefined> = {};
  if (q === -1) return out;
  const parsed = parseQueryString(url.slice(q + 1));
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    out[key] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}
