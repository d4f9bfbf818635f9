'use client';
import { useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { NO_ERRORS, toFormErrors, type FormErrors } from '@/lib/api/errors';
import { Field } from '../field';
import { FormAlert } from '../form-alert';
import { useFocusFirstError } from '../use-focus-first-error';

const FIELDS = ['stripeAccountId'] as const;

/**
 * Where the seller's payouts go: their Stripe connected account (`acct_…`), shown as it is now and
 * changed here. The payments service checks the ID; its message is shown beside the input.
 */
export function PayoutAccountForm({ initialAccountId }: { initialAccountId: string | null }) {
  const [accountId, setAccountId] = useState(initialAccountId);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const [saved, setSaved] = useState(false);
  const { formRef, alertRef, focusFirstErrorAfterRender } = useFocusFirstError();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stripeAccountId = String(new FormData(event.currentTarget).get('stripeAccountId') ?? '');
    setSaved(false);
    if (!stripeAccountId.trim()) {
      setErrors({ fields: { stripeAccountId: ['Enter your Stripe account ID'] }, form: [] });
      focusFirstErrorAfterRender();
      return;
    }
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const account = await browserApi.setPayoutAccount({
        stripeAccountId: stripeAccountId.trim(),
      });
      setAccountId(account.stripeAccountId);
      setSaved(true);
    } catch (err) {
      setErrors(toFormErrors(err, FIELDS));
      focusFirstErrorAfterRender();
    } finally {
      setSubmitting(false);
    }
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
