import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

export default defineConfig(
  packageBuild({
    external: ['socket.io-client'],
    // import.meta.url in the CommonJS build (core resolves its own socket.io-client from where it lives).
    shims: true,
  }),
);
