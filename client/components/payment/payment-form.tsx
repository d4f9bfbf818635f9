'use client';
import dynamic from 'next/dynamic';
import { SandboxCardForm } from './sandbox-card-form';
import type { PaymentFormProps } from './types';

// Stripe's libraries (and js.stripe.com) are fetched only when a publishable key is configured.
const StripeCardForm = dynamic(() => import('./stripe-card-form'), {
  ssr: false,
  loading: () => (
    <p className="text-body-secondary" role="status">
      Loading the secure card form…
    </p>
  ),
});

/** Stripe Elements with a publishable key; otherwise the sandbox test-card form. */
export function PaymentForm({
  stripeKey,
  ...props
}: PaymentFormProps & { stripeKey: string | null }) {
  return stripeKey ? (
    <StripeCardForm publishableKey={stripeKey} {...props} />
  ) : (
    <SandboxCardForm {...props} />
  );
}
