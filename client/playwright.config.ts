import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: Debian's Chromium drives the client through the whole local stack (gateway, every
 * built service, embedded Mongo, nats-server, redis-server), started by e2e/global-setup.ts.
 * Browsers are never downloaded (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1): CHROMIUM_PATH or /usr/bin/chromium.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  globalSetup: './e2e/global-setup.ts',
  // One browser at a time: the stack's seven processes already share the machine's two cores.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Artifacts (screenshots, traces of failures, the stacks' logs) go to test-results/.
  reporter: 'list',
  use: {
    // Set by the global setup once the stack's gateway listens (a free port).
    baseURL: process.env.E2E_BASE_URL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
