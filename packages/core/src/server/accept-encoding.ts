/** The content codings the client bundles are offered in, best first when the client rates them alike. */
export const CONTENT_ENCODINGS = ['br', 'gzip', 'deflate'] as const;

export type ContentEncoding = (typeof CONTENT_ENCODINGS)[number];

interface Rating {
  q: number;
  /** Where the coding (or the `*` that stood for it) appears in the header. */
  position: number;
}

/**
 * Picks the coding to answer with from an `Accept-Encoding` header (RFC 9110 §12.5.3), or undefined for
 * the identity. The highest `q` wins; a coding named outright outranks `*`; among equals the one the
 * client listed first wins (`gzip, br` gets gzip, as socket.io answers), then the order of
 * {@link CONTENT_ENCODINGS}. `q=0` refuses a coding.
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined || header === '') return undefined;
  const named = new Map<string, Rating>();
  let wildcard: Rating | undefined;
  header.split(',').forEach((item, position) => {
    const [coding = '', ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    if (coding === '') return;
    const rating = { q: qualityOf(params), position };
    if (coding === '*') wildcard = rating;
    else if (!named.has(coding)) named.set(coding, rating);
  });
  let best: { encoding: ContentEncoding; q: number; specific: boolean; position: number } | undefined;
  for (const encoding of CONTENT_ENCODINGS) {
    const own = named.get(encoding);
    const rating = own ?? wildcard;
    if (rating === undefined || rating.q <= 0) continue;
    const candidate = { encoding, q: rating.q, specific: own !== undefined, position: rating.position };
    if (best === undefined || outranks(candidate, best)) best = candidate;
  }
  return best?.encoding;
}

function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    if (!param.startsWith('q=')) continue;
    const q = Number(param.slice(2));
    return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0;
  }
  return 1;
}

function outranks(a: { q: number; specific: boolean; position: number }, b: { q: number; specific: boolean; position: number }): boolean {
  if (a.q !== b.q) return a.q > b.q;
  if (a.specific !== b.specific) return a.specific;
  return a.position < b.position;
}
