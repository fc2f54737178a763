// Starts the metrics dashboard: `pnpm -C examples/dashboard start` (PORT, default 3000).
import { startExample } from 'switchyard-example-assets/example-server';
import { createDashboardApp } from './app.mjs';

startExample(createDashboardApp(), 'metrics dashboard');
