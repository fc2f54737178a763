import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

// socket.io's CommonJS module is itself callable (`require('socket.io')(httpServer, opts)`) and carries
// the classes as properties; the footer makes ours the same, keeping every named export. (No tree-shaking
// pass here, as before: the footer goes on esbuild's output as it is.)
export default defineConfig(
  packageBuild({
    treeshake: false,
    footer: ({ format }) =>
      format === 'cjs' ? { js: 'module.exports = Object.assign((srv, opts) => new module.exports.Server(srv, opts), module.exports);' } : {},
  }),
);
