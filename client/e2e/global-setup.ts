import { existsSync } from 'node:fs';
import { startE2EStack } from './stack';

/**
 * One stack for the whole run, with the real 15-minute hold so no payment races its expiry. The
 * expiry scenario starts its own stack with a short hold (e2e/fixtures.ts).
 */
export default async function globalSetup() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(
      `the end-to-end tests drive Debian's Chromium and ${chromium} is missing: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  const stack = await startE2EStack('stack', { ORDER_EXPIRATION_SECONDS: '900' });
  process.env.E2E_BASE_URL = stack.url;
  return async () => {
    await stack.stop();
  };
}
