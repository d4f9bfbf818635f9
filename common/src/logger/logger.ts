import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * One JSON logger per service. Cookies, authorization headers and passwords are redacted, and no
 * connection string is ever logged by this package.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name: service,
    level,
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
