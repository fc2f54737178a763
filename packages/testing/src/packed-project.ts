// A plain npm project outside the workspace with workspace packages installed from their packed tarballs,
// as a user gets them from the registry: `pnpm pack` rewrites `workspace:` ranges and keeps only `files`.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PackedProjectOptions {
  /** Directories of the workspace packages to pack and install. */
  packages: readonly string[];
  /** Installs a packed package under another name, as an npm alias would: `{ 'socket.io': '@switchyard/socket.io' }`. */
  installAs?: Record<string, string>;
  /** What the user installs from the registry beside them (frameworks, clients, typescript…). */
  dependencies?: Record<string, string>;
  /** Prefix of the scratch folder's name under the OS temp folder. */
  prefix?: string;
  /**
   * A folder to install into and keep instead (for working on what runs there); when it already holds an
   * installed project, that one is used as it is, without packing or installing.
   */
  keepIn?: string;
}

export interface PackedProject {
  /** The project's folder, with its `node_modules` installed. */
  dir: string;
  /** Removes the project's folder. */
  remove(): Promise<void>;
}

/**
 * Packs each package with `pnpm pack`, then installs every tarball with one `npm install` into a new project
 * under the OS temp folder. A packed package depending on another one (`@switchyard/core`) gets its tarball
 * through `overrides`, since the registry does not have it.
 */
export async function installPacked(options: PackedProjectOptions): Promise<PackedProject> {
  if (options.keepIn !== undefined) {
    const kept = { dir: options.keepIn, remove: async () => {} };
    if (await stat(join(options.keepIn, 'node_modules')).then(() => true, () => false)) return kept;
    await mkdir(options.keepIn, { recursive: true });
  }
  const dir = options.keepIn ?? (await mkdtemp(join(tmpdir(), options.prefix ?? 'switchyard-packed-')));
  try {
    const packs = join(dir, 'packs');
    await mkdir(packs);
    const tarballs: Record<string, string> = {};
    for (const packageDir of options.packages) {
      const { name } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { name: string };
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', packs], { cwd: packageDir });
      const tarball = stdout.trim().split('\n').at(-1)!;
      tarballs[name] = `file:packs/${basename(tarball)}`;
    }
    const renamed = new Map(Object.entries(options.installAs ?? {}).map(([as, name]) => [name, as]));
    const direct = Object.fromEntries(Object.entries(tarballs).map(([name, spec]) => [renamed.get(name) ?? name, spec]));
    // An override of a direct dependency must repeat its spec, and a renamed one is no override target.
    const overrides = Object.fromEntries(Object.entries(tarballs).filter(([name]) => !renamed.has(name)));
    await writeFile(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'switchyard-user-app', private: true, dependencies: { ...options.dependencies, ...direct }, overrides }, null, 2)}\n`,
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    if (options.keepIn === undefined) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, remove: () => (options.keepIn === undefined ? rm(dir, { recursive: true, force: true }) : Promise.resolve()) };
}
