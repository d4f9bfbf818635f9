/**
 * The payment gateways and the choice between them: Stripe when STRIPE_KEY is set, the sandbox otherwise.
 */
import type { Logger } from '@ticketing/common';
import type { PaymentsConfig } from '../config';
import type { PaymentGateway } from './payment-gateway';
import { SandboxGateway } from './sandbox.gateway';
import { StripeGateway } from './stripe.gateway';

export * from './payment-gateway';
export { SandboxGateway, SandboxTokens } from './sandbox.gateway';
export { StripeGateway } from './stripe.gateway';

/** Stripe when `STRIPE_KEY` is set, the sandbox otherwise; logs which one (never the key). */
export function createGateway(config: PaymentsConfig, logger: Logger): PaymentGateway {
  if (!config.STRIPE_KEY) {
    const level = config.NODE_ENV === 'production' ? 'warn' : 'info';
    logger[level](
      { gateway: 'sandbox' },
      'no STRIPE_KEY: payments use the sandbox gateway (test tokens only, no money moves)',
    );
    return new SandboxGateway();
  }
  const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
  logger.info(
    { gateway: 'stripe', ...(api ? { apiHost: api.host } : {}) },
    'payments go through Stripe',
  );
  return new StripeGateway({
    apiKey: config.STRIPE_KEY,
    ...(api
      ? {
          host: api.hostname,
          port: Number(api.port || (api.protocol === 'http:' ? 80 : 443)),
          protocol: api.protocol === 'http:' ? ('http' as const) : ('https' as const),
        }
      : {}),
  });
}
