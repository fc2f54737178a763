import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The generation of socket.io-client whose bundles this server may serve (the one it speaks). */
const CLIENT_MAJOR = '4';

/** One installed socket.io-client: the folder of its browser bundles (its `dist/`) and its version. */
export interface ClientBundle {
  readonly dir: string;
  readonly version: string;
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

/** The process-wide locator: every Server shares the bundles it finds. */
export const clientLocator = new ClientLocator();

function bundleResolvedFrom(base: string): ClientBundle | undefined {
  try {
    const pkgPath = createRequire(base).resolve('socket.io-client/package.json');
    // Read, not required: require's cache would hide a client installed or upgraded since.
    const { version } = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
    const dir = join(dirname(pkgPath), 'dist');
    if (version.split('.')[0] !== CLIENT_MAJOR || !existsSync(dir)) return undefined;
    return { dir, version };
  } catch {
    return undefined; // not installed as seen from there
  }
}
