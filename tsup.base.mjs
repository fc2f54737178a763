// The build of the packages with a tsup.config.ts (core, metrics, redis, socket.io): src/index.ts as ESM and
// CommonJS for Node 20, with types and source maps; each config adds only what is its own (externals, shims,
// a footer). The framework adapters and the testing package still set the same options in package.json's
// "tsup" field.

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
