'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { browserApi } from '@/lib/api/browser';
import { toApiError } from '@/lib/api/errors';

/** Signs out as soon as the page opens, then goes home with the header showing nobody signed in. */
export function SignOut() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    browserApi.signOut().then(
      () => {
        if (cancelled) return;
        router.replace('/');
        router.refresh();
      },
      (err: unknown) => {
        if (!cancelled) setError(toApiError(err).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [router, attempt]);

  if (error) {
    return (
      <div className="alert alert-danger" role="alert">
        <p>Could not sign you out: {error}</p>
        <button
          type="button"
          className="btn btn-outline-danger"
          onClick={() => {
            setError(null);
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  return (
    <p role="status" className="d-flex align-items-center gap-2">
      <span className="spinner-border spinner-border-sm" aria-hidden="true" />
      Signing you out…
    </p>
  );
}
