// The build every published package shares: src/index.ts as ESM and CommonJS for Node 20, with types and
// source maps. A package's tsup.config.ts adds only what is its own (externals, shims, a footer).

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
