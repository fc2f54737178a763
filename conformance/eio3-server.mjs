// The server the official engine.io-protocol test suite on its `v3` branch (EIO3) expects: the same
// echo endpoint as eio4-server.mjs (/engine.io/ on PORT, default 3000), which serves Engine.IO v3
// next to v4 because `allowEIO3` is on by default. Run after the build: `node conformance/eio3-server.mjs`.
import { engine } from './eio4-server.mjs';

if (!engine.options.allowEIO3) throw new Error('Engine.IO v3 is disabled: the v3 suite cannot pass');
