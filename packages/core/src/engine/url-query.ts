import { parse as parseQueryString } from 'node:querystring';

/** The query of a request URL, with the first value of each key (`?a=1&a=2` gives `a: '1'`). */
export function parseUrlQuery(url: string): Record<string, string | undefined> {
  const q = url.indexOf('?');
  const out: Record<string, string | undefined> = {};
  if (q === -1) return out;
  const query = url.slice(q + 1);
  // Every request's query (`EIO=4&transport=polling&t=…&sid=…`) usually has nothing to decode: split
  // here, as querystring would. Shorter than querystring's 1000 keys, so that limit never applies.
  if (query.length < 1000 && query.indexOf('%') === -1 && query.indexOf('+') === -1) {
    splitPlainQuery(query, out);
    return out;
  }
  const parsed = parseQueryString(query);
  for (const key of Object.keys(parsed)) {
    const value = parsed[key];
    out[key] = Array.isArray(value) ? value[0] : value;
  }
  return out;
}

/** `a=1&b&a=2` into `out` as `{ a: '1', b: '' }`: empty pieces skipped, the first value of a key kept. */
function splitPlainQuery(query: string, out: Record<string, string | undefined>): void {
  let start = 0;
  while (start < query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      const key = query.slice(start, hasValue ? eq : end);
      if (!Object.hasOwn(out, key)) out[key] = hasValue ? query.slice(eq + 1, end) : '';
    }
    start = end + 1;
  }
}
