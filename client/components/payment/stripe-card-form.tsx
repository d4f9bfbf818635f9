'use client';
import { CardElement, Elements, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe, type Stripe } from '@stripe/stripe-js';
import { useState, type FormEvent } from 'react';
import { NO_ERRORS, type FormErrors } from '@/lib/api/errors';
import { FormAlert } from '../form-alert';
import { PayButton } from './price-summary';
import type { PaymentFormProps } from './types';

// One Stripe.js per key for the page's lifetime (loadStripe adds a script tag each time it is called).
const stripes = new Map<string, Promise<Stripe | null>>();
function stripeFor(key: string) {
  let stripe = stripes.get(key);
  if (!stripe) {
    stripe = loadStripe(key);
    stripes.set(key, stripe);
  }
  return stripe;
}

function CardForm({ amount, disabled, pay }: PaymentFormProps) {
  const stripe = useStripe();
  const elements = useElements();
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const card = elements?.getElement(CardElement);
    if (!stripe || !card) return;
    setSubmitting(true);
    setErrors(NO_ERRORS);
    const { token, error } = await stripe.createToken(card);
    const failed = token
      ? await pay(token.id)
      : { fields: { card: [error?.message ?? 'Your card could not be read'] }, form: [] };
    setSubmitting(false);
    if (failed) setErrors(failed);
  }

  const cardErrors = errors.fields.card ?? [];
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="payment-heading">
      <FormAlert messages={errors.form} />
      <div className="mb-3">
        <span id="card-label" className="form-label d-block">
          Card details
        </span>
        <div
          className={`form-control py-2${cardErrors.length ? ' is-invalid' : ''}`}
          role="group"
          aria-labelledby="card-label"
          aria-describedby={cardErrors.length ? 'card-error' : undefined}
        >
          <CardElement options={{ hidePostalCode: true }} />
        </div>
        {cardErrors.length ? (
          <div id="card-error" className="invalid-feedback d-block" role="alert">
            {cardErrors.join(' ')}
          </div>
        ) : null}
      </div>
      <PayButton
        amount={amount}
        submitting={submitting}
        disabled={!!disabled || submitting || !stripe}
      />
    </form>
  );
}

/** Stripe Elements: the card never touches our servers, only the token Stripe returns for it. */
export default function StripeCardForm({
  publishableKey,
  ...props
}: PaymentFormProps & { publishableKey: string }) {
  return (
    <Elements stripe={stripeFor(publishableKey)}>
      <CardForm {...props} />
    </Elements>
  );
}
