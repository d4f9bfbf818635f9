/**
 * The services' logger: pino JSON, one per service, with credentials redacted.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger per service. Cookies, authorization headers and passwords are redacted, and no
 * connection string is ever logged by this package.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  // A service builds its logger before it validates its config. An unknown level must get that far,
  // where it is reported by name, instead of pino's throw (a stack trace) at start: until then, `info`.
  const known = level === 'silent' || level in pino.levels.values;
  return pino({
    name: service,
    level: known ? level : 'info',
    base: { service },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
      ],
      censor: '[redacted]',
    },
  });
}
