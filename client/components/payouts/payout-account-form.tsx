'use client';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { NO_ERRORS, type FormErrors } from '@/lib/api/errors';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { Field } from '../field';
import { FormAlert } from '../form-alert';

const FIELDS = ['stripeAccountId'] as const;

/**
 * Where the seller's payouts go: their Stripe connected account (`acct_…`), shown as it is now and
 * changed here. The payments service checks the ID; its message is shown beside the input.
 */
export function PayoutAccountForm({ initialAccountId }: { initialAccountId: string | null }) {
  const [accountId, setAccountId] = useState(initialAccountId);
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({ fields: FIELDS });
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stripeAccountId = String(new FormData(event.currentTarget).get('stripeAccountId') ?? '');
    setSaved(false);
    const local: FormErrors = stripeAccountId.trim()
      ? NO_ERRORS
      : { fields: { stripeAccountId: ['Enter your Stripe account ID'] }, form: [] };
    await submit(local, async () => {
      const account = await browserApi.setPayoutAccount({
        stripeAccountId: stripeAccountId.trim(),
      });
      setAccountId(account.stripeAccountId);
      setSaved(true);
    });
  }

  return (
    <section aria-labelledby="payout-account-heading" className="mt-5">
      <h2 id="payout-account-heading" className="h4">
        Payout account
      </h2>
      <p data-testid="payout-account">
        {accountId ? (
          <>
            Your payouts go to the Stripe account <code className="text-reset">{accountId}</code>.
          </>
        ) : (
          'No payout account is connected yet: due payouts wait until you add one.'
        )}
      </p>
      <form ref={formRef} onSubmit={onSubmit} noValidate className="col-md-8 col-lg-6">
        <FormAlert ref={alertRef} messages={errors.form} />
        <Field
          id="stripeAccountId"
          name="stripeAccountId"
          label="Stripe account ID"
          defaultValue={initialAccountId ?? ''}
          placeholder="acct_…"
          autoComplete="off"
          spellCheck={false}
          required
          errors={errors.fields.stripeAccountId}
          hint="It starts with acct_ and is shown in your Stripe dashboard."
        />
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? 'Saving…' : 'Save payout account'}
        </button>
        <span className="ms-3" role="status">
          {saved ? 'Saved.' : null}
        </span>
      </form>
    </section>
  );
}
