'use client';
import 'bootstrap/dist/css/bootstrap.min.css';

/** Replaces the root layout itself when that fails, so it renders its own html and body. */
export default function GlobalError({
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <html lang="en">
      <body className="container py-5 text-center">
        <h1 className="h2">Something went wrong</h1>
        <p className="lead">Ticketing could not be loaded. Please try again in a moment.</p>
        <button type="button" className="btn btn-primary" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
