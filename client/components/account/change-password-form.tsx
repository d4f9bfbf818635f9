'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError, type FormErrors } from '@/lib/api/errors';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { PASSWORD_MIN } from '@/lib/password';
import { Field } from '../field';
import { FormAlert } from '../form-alert';

const FIELDS = ['currentPassword', 'newPassword'] as const;

const PASSWORD_CHANGED = 'Password changed. Other sessions have been signed out.';

function checkInput(currentPassword: string, newPassword: string): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (!currentPassword) fields.currentPassword = ['Enter your current password'];
  if (!newPassword) fields.newPassword = ['Enter a new password'];
  else if (newPassword.length < PASSWORD_MIN)
    fields.newPassword = [`Password must be at least ${PASSWORD_MIN} characters`];
  return { fields, form: [] };
}

/**
 * Changes the signed-in user's password. The auth service answers with a fresh session cookie for
 * this browser and signs every other session out; its field errors are shown beside the field, a 429
 * (too many wrong current passwords) above the form with how long to wait.
 */
export function ChangePasswordForm() {
  const router = useRouter();
  const { errors, submitting, formRef, alertRef, submit } = useFormSubmit({ fields: FIELDS });
  const [changed, setChanged] = useState(false);
  const doneRef = useRef<HTMLParagraphElement>(null);

  // The submit button was disabled while waiting, which drops focus: land on the outcome instead.
  useEffect(() => {
    if (changed) doneRef.current?.focus();
  }, [changed]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const currentPassword = String(data.get('currentPassword') ?? '');
    const newPassword = String(data.get('newPassword') ?? '');
    setChanged(false);
    await submit(
      checkInput(currentPassword, newPassword),
      async () => {
        await browserApi.changePassword({ currentPassword, newPassword });
        form.reset();
        setChanged(true);
      },
      (err) => {
        // This session itself was ended elsewhere: the page, rendered again, sends the user to sign in.
        if (toApiError(err).status === 401) router.refresh();
      },
    );
  }

  return (
    <section aria-labelledby="change-password-heading" className="mb-5">
      <h2 id="change-password-heading" className="h4">
        Change password
      </h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate className="col-md-8 col-lg-6">
        <FormAlert ref={alertRef} messages={errors.form} />
        <Field
          id="currentPassword"
          name="currentPassword"
          type="password"
          label="Current password"
          autoComplete="current-password"
          required
          errors={errors.fields.currentPassword}
        />
        <Field
          id="newPassword"
          name="newPassword"
          type="password"
          label="New password"
          autoComplete="new-password"
          required
          errors={errors.fields.newPassword}
          hint={`At least ${PASSWORD_MIN} characters. Every other browser and device signed in to your account will be signed out.`}
        />
        <button type="submit" className="btn btn-primary" disabled={submitting}>
          {submitting ? 'Changing password…' : 'Change password'}
        </button>
        <div role="status" className="mt-3">
          {changed ? (
            <p ref={doneRef} tabIndex={-1} className="alert alert-success mb-0">
              {PASSWORD_CHANGED}
            </p>
          ) : null}
        </div>
      </form>
    </section>
  );
}
