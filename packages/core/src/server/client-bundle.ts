import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, deflate, gzip } from 'node:zlib';
import type { ContentEncoding } from './accept-encoding.js';

/** The generation of socket.io-client whose bundles this server may serve (the one it speaks). */
const CLIENT_MAJOR = '4';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const deflateAsync = promisify(deflate);

const compressors: Record<ContentEncoding, (body: Buffer) => Promise<Buffer>> = {
  // Brotli's best quality (11) takes a few hundred milliseconds for the largest files; it is paid once
  // per file and process, on zlib's thread pool rather than the event loop.
  br: (body) => brotliAsync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => gzipAsync(body, { level: 9 }),
  deflate: (body) => deflateAsync(body, { level: 9 }),
};

/**
 * The browser bundles of one installed socket.io-client (its `dist/`).
 *
 * Every body, plain or compressed, is built once and kept in memory: the files are immutable while the
 * process runs and small (the eight of them weigh about 1.2 MB plain and 0.4 MB compressed), so
 * compressing each request again through a zlib stream would only spend CPU on the same bytes.
 * Requests that arrive while a body is being built share it; a failed read or compression is
 * forgotten, so the next request tries again.
 */
export class ClientBundle {
  readonly dir: string;
  readonly version: string;
  readonly #bodies = new Map<string, Promise<Buffer>>();

  constructor(dir: string, version: string) {
    this.dir = dir;
    this.version = version;
  }

  /** The bytes of `file` (a name inside `dist/`), in `encoding` or plain. */
  body(file: string, encoding?: ContentEncoding): Promise<Buffer> {
    const key = `${encoding ?? 'identity'}:${file}`;
    let body = this.#bodies.get(key);
    if (body === undefined) {
      body = encoding === undefined ? readFile(join(this.dir, file)) : this.body(file).then(compressors[encoding]);
      this.#bodies.set(key, body);
      body.catch(() => this.#bodies.delete(key));
    }
    return body;
  }
}

/** Where the application lives: its entry script's folder, then the folder it was started from. */
function applicationBases(): string[] {
  const entry = process.argv[1];
  return [...(entry === undefined ? [] : [join(dirname(entry), 'noop.js')]), join(process.cwd(), 'noop.js')];
}

/**
 * Finds socket.io-client's browser bundles. A copy the application installed itself comes first, as
 * long as it is a 4.x client; otherwise core's own dependency, so that `serveClient` works on a fresh
 * install with nothing else added. A copy found is kept; a failed lookup is not, so a client installed
 * later is found on the next request.
 */
export class ClientLocator {
  readonly #bases: () => readonly string[];
  #found: ClientBundle | undefined;

  /**
   * `bases`: the files (or file URLs) to resolve socket.io-client from, in order; by default the
   * application's, then this module's own (the CommonJS build gets import.meta.url from tsup's shim).
   */
  constructor(bases: () => readonly string[] = () => [...applicationBases(), import.meta.url]) {
    this.#bases = bases;
  }

  /** The bundles, or undefined when no usable copy is installed. */
  locate(): ClientBundle | undefined {
    if (this.#found !== undefined) return this.#found;
    for (const base of this.#bases()) {
      const bundle = bundleResolvedFrom(base);
      if (bundle !== undefined) return (this.#found = bundle);
    }
    return undefined;
  }
}

/** The process-wide locator: every Server shares the bundles it finds, and their compressed bodies. */
export const clientLocator = new ClientLocator();

function bundleResolvedFrom(base: string): ClientBundle | undefined {
  try {
    const pkgPath = createRequire(base).resolve('socket.io-client/package.json');
    // Read, not required: require's cache would hide a client installed or upgraded since.
    const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    const dir = join(dirname(pkgPath), 'dist');
    if (version.split('.')[0] !== CLIENT_MAJOR || !existsSync(dir)) return undefined;
    return new ClientBundle(dir, version);
  } catch {
    return undefined; // not installed as seen from there
  }
}
