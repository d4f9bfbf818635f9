import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startStack, type Stack } from '@ticketing/local';

const repoRoot = resolve(__dirname, '..', '..');
export const logDir = resolve(__dirname, '..', 'test-results');

/**
 * Every part the browser scenarios go through; the stack would silently skip one not built. (The stack
 * runner itself is loaded from infra/local's sources: tsconfig.json maps @ticketing/local there.)
 */
const REQUIRED = [
  'auth/dist/index.js',
  'tickets/dist/index.js',
  'orders/dist/index.js',
  'payments/dist/index.js',
  'expiration/dist/index.js',
  'client/.next/BUILD_ID',
];

/**
 * Starts the whole platform on free ports with `env` added (ORDER_EXPIRATION_SECONDS, ...); its output
 * goes to test-results/<name>.log rather than the test report.
 */
export async function startE2EStack(name: string, env: Record<string, string>): Promise<Stack> {
  const missing = REQUIRED.filter((file) => !existsSync(join(repoRoot, file)));
  if (missing.length > 0) {
    throw new Error(
      `the end-to-end tests need every workspace built (npm run build); missing: ${missing.join(', ')}`,
    );
  }
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    GATEWAY_PORT: '0',
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
    ...env,
  };
  // A fresh platform of its own, whatever the shell points at.
  for (const variable of [
    'MONGO_URI',
    'NATS_URL',
    'REDIS_URL',
    'JWT_KEY',
    'STRIPE_KEY',
    'NEXT_PUBLIC_STRIPE_KEY',
  ])
    delete base[variable];
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  let pending = Promise.resolve();
  const output = (line: string) => {
    pending = pending.then(() => appendFile(logFile, `${line}\n`)).catch(() => undefined);
  };
  return startStack({ env: base, output, readyTimeoutMs: 120_000 });
}
