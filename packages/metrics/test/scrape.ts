/** One sample of a scrape: `name{a="x",b="y"}` → value. */
export type Samples = Map<string, number>;

/** Reads Prometheus' text format into samples keyed by name and labels (labels sorted by name). */
export function parseMetrics(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    samples.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]));
  }
  return samples;
}

/** The value of one sample, 0 when absent; `labels` as `{ generation: '4.x' }`. */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  const key = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
  return samples.get(`${name}{${key}}`) ?? 0;
}

/** The sum of every sample of `name` whose labels include `labels`. */
export function total(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  let sum = 0;
  for (const [key, value] of samples) {
    const open = key.indexOf('{');
    if (key.slice(0, open) !== name) continue;
    const have = key.slice(open + 1, -1).split(',');
    if (wanted.every((w) => have.includes(w))) sum += value;
  }
  return sum;
}

/** Fetches and parses `url`, checking it is served as Prometheus text. */
export async function scrape(url: string): Promise<Samples> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) throw new Error(`GET ${url}: content-type ${type}`);
  return parseMetrics(await res.text());
}
