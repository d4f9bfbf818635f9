'use client';
import { useState } from 'react';
import { NO_ERRORS, hasErrors, toFormErrors, type FormErrors } from '@/lib/api/errors';
import { useFocusFirstError } from '@/components/use-focus-first-error';

export interface FormSubmitOptions {
  /** The form's own inputs: a service's message about one of them is shown beside it. */
  fields: readonly string[];
  /** The form navigates away once done: the button stays disabled until the next page is shown. */
  keepSubmittingOnSuccess?: boolean;
}

/**
 * What every form does around its request, in one place so they all behave alike: the local check's
 * messages shown (and focused) without asking the service, the button disabled while waiting, and a
 * failure shown beside the fields it is about (or above the form) with focus moved to it.
 *
 * `submit(local, action, onError?)`: `local` is what the form found wrong before sending; `action`
 * sends the request and handles success. It may throw (turned into messages for `fields`) or resolve
 * to errors it put into words itself. `onError` sees what was thrown, for a form's extra handling.
 */
export function useFormSubmit({ fields, keepSubmittingOnSuccess = false }: FormSubmitOptions) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [submitting, setSubmitting] = useState(false);
  const { formRef, alertRef, focusFirstErrorAfterRender } = useFocusFirstError();

  function fail(failed: FormErrors) {
    setErrors(failed);
    focusFirstErrorAfterRender();
  }

  async function submit(
    local: FormErrors,
    action: () => Promise<FormErrors | null | void>,
    onError?: (err: unknown) => void,
  ): Promise<void> {
    if (hasErrors(local)) {
      fail(local);
      return;
    }
    setSubmitting(true);
    setErrors(NO_ERRORS);
    let succeeded = false;
    try {
      const refused = await action();
      if (refused) fail(refused);
      else succeeded = true;
    } catch (err) {
      fail(toFormErrors(err, fields));
      onError?.(err);
    } finally {
      if (!(succeeded && keepSubmittingOnSuccess)) setSubmitting(false);
    }
  }

  return { errors, submitting, formRef, alertRef, submit };
}
