import { defineConfig } from 'vitest/config';

// The API reference build takes a while on a busy machine; the other checks read files only.
export default defineConfig({ test: { include: ['test/**/*.test.mjs'], hookTimeout: 60_000 } });
