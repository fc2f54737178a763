import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.mjs';

export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', 'admin-ui': 'src/admin-ui.ts' } }));
