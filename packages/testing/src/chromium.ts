// The system Chromium that browser tests drive through playwright-core (never a browser download).
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** playwright-core's `chromium.launch()` options for it: headless, and quiet (no GPU, no QUIC, no background requests of its own). */
export function chromiumLaunchOptions(): { executablePath: string; headless: true; args: string[] } {
  return { executablePath: CHROMIUM_PATH, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'] };
}

/**
 * Whether Chromium is installed; when it is not, warns that `suite` is skipped, or under CI=true throws,
 * since CI must run every browser test.
 */
export function chromiumInstalled(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') throw new Error(`Chromium is required on CI (expected at ${CHROMIUM_PATH})`);
  console.warn(`[${suite}] skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  return false;
}
