import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  external: ['socket.io-client'],
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  // import.meta.url in the CommonJS build (core resolves its own socket.io-client from where it lives).
  shims: true,
  treeshake: true,
});
