// The build of every published package, each through its tsup.config.ts: src/index.ts as ESM and CommonJS for
// Node 20, with types and source maps; each config adds only what is its own (entries, externals, shims, a
// footer).

/** @param {import('tsup').Options} own what this package adds or changes */
export function packageBuild(own = {}) {
  return {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    target: 'node20',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    ...own,
  };
}
