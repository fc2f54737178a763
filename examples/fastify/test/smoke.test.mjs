import { test } from 'node:test';
import { smokeExample } from 'switchyard-example-testapp/test/example-smoke.mjs';

test('the example starts, signs in through the framework, serves the namespaces and stops with a client connected', { timeout: 180_000 }, () =>
  smokeExample(new URL('..', import.meta.url), { framework: 'Fastify' }));
