import { defineConfig } from 'tsup';

// socket.io's CommonJS module is itself callable (`require('socket.io')(httpServer, opts)`) and carries
// the classes as properties; the footer makes ours the same, keeping every named export.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  footer: ({ format }) =>
    format === 'cjs' ? { js: 'module.exports = Object.assign((srv, opts) => new module.exports.Server(srv, opts), module.exports);' } : {},
});
