import 'server-only';

/**
 * Stripe's publishable key, when Stripe Elements should take card details. Read on the server for each
 * request (and passed to the page), so it can be set when the client starts as well as when it is
 * built; without it the payment form is the sandbox test-card form.
 */
export function stripePublishableKey(): string | null {
  const name = 'NEXT_PUBLIC_STRIPE_KEY';
  return process.env.NEXT_PUBLIC_STRIPE_KEY || process.env[name] || null;
}
