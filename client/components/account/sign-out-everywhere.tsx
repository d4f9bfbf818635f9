'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError } from '@/lib/api/errors';

type Outcome = { state: 'idle' } | { state: 'done' } | { state: 'failed'; message: string };

/**
 * Ends every other session of the user (a browser left signed in elsewhere, a lost phone); the auth
 * service gives this browser a fresh cookie, so it stays signed in.
 */
export function SignOutEverywhere() {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const [pending, setPending] = useState(false);
  const outcomeRef = useRef<HTMLParagraphElement>(null);

  // The button was disabled while waiting, which drops focus: land on the outcome instead.
  useEffect(() => {
    if (outcome.state !== 'idle') outcomeRef.current?.focus();
  }, [outcome]);

  async function signOutEverywhere() {
    setPending(true);
    setOutcome({ state: 'idle' });
    try {
      await browserApi.signOutEverywhere();
      setOutcome({ state: 'done' });
    } catch (err) {
      const apiError = toApiError(err);
      setOutcome({ state: 'failed', message: apiError.message });
      // This session itself was ended elsewhere: the page, rendered again, sends the user to sign in.
      if (apiError.status === 401) router.refresh();
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="sign-out-everywhere-heading">
      <h2 id="sign-out-everywhere-heading" className="h4">
        Sign out everywhere
      </h2>
      <p id="sign-out-everywhere-hint">
        Signs out every other browser and device; you stay signed in here.
      </p>
      <button
        type="button"
        className="btn btn-danger"
        onClick={signOutEverywhere}
        disabled={pending}
        aria-describedby="sign-out-everywhere-hint"
      >
        {pending ? 'Signing out other sessions…' : 'Sign out everywhere'}
      </button>
      <div role="status" className="mt-3 col-md-8 col-lg-6">
        {outcome.state === 'done' ? (
          <p ref={outcomeRef} tabIndex={-1} className="alert alert-success mb-0">
            Every other session has been signed out. You are still signed in here.
          </p>
        ) : null}
      </div>
      {outcome.state === 'failed' ? (
        <p
          ref={outcomeRef}
          tabIndex={-1}
          role="alert"
          className="alert alert-danger mt-3 mb-0 col-md-8 col-lg-6"
        >
          {outcome.message}
        </p>
      ) : null}
    </section>
  );
}
