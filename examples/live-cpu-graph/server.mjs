// Starts the live CPU graph: `pnpm -C examples/live-cpu-graph start` (PORT, default 3000).
import { startExample } from 'switchyard-example-assets/example-server';
import { createCpuApp } from './app.mjs';

startExample(createCpuApp(), 'live CPU graph');
