// TypeDoc's configuration for the API reference (`pnpm docs:api`, written to docs/api/, which git ignores).
// The entry points are every export of every published package, read from the manifests, so a package or
// an export added later is documented without touching this file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');

/** The source file behind an export subpath: `.` is src/index.ts, `./testing` src/testing/index.ts or src/testing.ts. */
function sourceOf(dir, subpath) {
  const name = subpath === '.' ? 'index' : subpath.slice(2);
  return [join(dir, 'src', `${name}.ts`), join(dir, 'src', name, 'index.ts')].find((file) => existsSync(file));
}

const entryPoints = [];
for (const folder of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, folder);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private === true) continue;
  for (const subpath of Object.keys(manifest.exports ?? { '.': null })) {
    const source = subpath.endsWith('.json') ? undefined : sourceOf(dir, subpath);
    if (source !== undefined) entryPoints.push(source);
  }
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'Switchyard API',
  tsconfig: join(import.meta.dirname, 'tsconfig.json'),
  entryPoints,
  plugin: [join(import.meta.dirname, 'typedoc-package-names.mjs')],
  out: join(root, 'docs', 'api'),
  readme: 'none',
  // Source links point at the public repository whatever the clone's remote is (CI clones from a path).
  sourceLinkTemplate: 'https://github.com/switchyard-io/switchyard/blob/{gitRevision}/{path}#L{line}',
  excludePrivate: true,
  excludeInternal: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false },
  treatWarningsAsErrors: true,
};
