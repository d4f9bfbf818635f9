'use client';
import type { FormEvent } from 'react';
import type { FormErrors } from '@/lib/api/errors';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { TEST_CARDS, tokenForTestCard, validateCardInput } from '@/lib/test-cards';
import { Field } from '../field';
import { FormAlert } from '../form-alert';
import { PayButton } from './price-summary';
import type { PaymentFormProps } from './types';

const FIELDS = ['card', 'expiry', 'cvc'] as const;

/**
 * The card form when no Stripe key is configured: it says plainly that it is a test mode, accepts
 * Stripe's test cards only and sends the test token Stripe would have made for each.
 */
export function SandboxCardForm({ amount, disabled, pay }: PaymentFormProps) {
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({ fields: FIELDS });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = {
      card: String(data.get('card') ?? ''),
      expiry: String(data.get('expiry') ?? ''),
      cvc: String(data.get('cvc') ?? ''),
    };
    const local: FormErrors = { fields: validateCardInput(input), form: [] };
    const token = tokenForTestCard(input.card);
    // `pay` resolves to the errors to show; without a token the card check has already said why.
    await submit(local, async () => (token ? pay(token) : local));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby="payment-heading">
      <div className="alert alert-info" role="note">
        <p className="fw-semibold mb-1">
          <span className="badge text-bg-info me-2">TEST MODE</span>
          No real card is charged.
        </p>
        <p className="mb-1">
          Use one of Stripe&apos;s test cards, any future expiry date and any CVC:
        </p>
        <ul className="mb-0">
          {TEST_CARDS.map((card) => (
            <li key={card.token}>
              <code className="text-reset fw-semibold">{card.number}</code> — {card.outcome}
            </li>
          ))}
        </ul>
      </div>
      <FormAlert ref={alertRef} messages={errors.form} />
      <Field
        id="card"
        name="card"
        label="Card number"
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="4242 4242 4242 4242"
        required
        errors={errors.fields.card}
      />
      <div className="row g-3">
        <div className="col-6">
          <Field
            id="expiry"
            name="expiry"
            label="Expiry (MM / YY)"
            autoComplete="cc-exp"
            inputMode="numeric"
            placeholder="12 / 34"
            required
            errors={errors.fields.expiry}
          />
        </div>
        <div className="col-6">
          <Field
            id="cvc"
            name="cvc"
            label="CVC"
            autoComplete="cc-csc"
            inputMode="numeric"
            placeholder="123"
            maxLength={4}
            required
            errors={errors.fields.cvc}
          />
        </div>
      </div>
      <PayButton amount={amount} submitting={submitting} disabled={!!disabled || submitting} />
    </form>
  );
}
