import { clientCases, closeCases, httpCases, sessionCases } from './adapter-cases.js';
import { adapterHarness, type AdapterSuiteOptions, type AdapterTestApi } from './adapter-harness.js';

export type { AdapterApp, AdapterSuiteOptions, AdapterTestApi } from './adapter-harness.js';

/**
 * The adapter conformance suite, in the pattern of Hono's shared router tests: each adapter's test file
 * calls it with a `createApp` (and its `session`, if the framework has one) and adds its framework's own cases.
 */
export function runAdapterConformance(api: AdapterTestApi, options: AdapterSuiteOptions): void {
  api.describe(`adapter conformance: ${options.name}`, () => {
    const h = adapterHarness(api, options);
    clientCases(h);
    httpCases(h);
    sessionCases(h);
    closeCases(h);
    for (const name of h.skipped.keys()) {
      if (!h.declared.has(name)) throw new Error(`skip names a case that does not exist: "${name}"`);
    }
  });
}
