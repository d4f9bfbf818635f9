'use client';
import Link from 'next/link';
import { useEffect, useRef } from 'react';

/** Shown when rendering a page failed (a service did not answer): say so and offer to retry. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="py-5 text-center" role="alert">
      <h1 ref={heading} tabIndex={-1} className="h2">
        Something went wrong
      </h1>
      <p className="lead">This page could not be loaded right now. Please try again in a moment.</p>
      {error.digest ? <p className="small text-body-secondary">Reference: {error.digest}</p> : null}
      <div className="d-flex justify-content-center gap-2">
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/" className="btn btn-outline-secondary">
          See upcoming events
        </Link>
      </div>
    </div>
  );
}
