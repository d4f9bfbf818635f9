import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <div className="py-5 text-center">
      <h1 className="h2">Not found</h1>
      <p className="lead">There is nothing here: the link may be wrong, or the page was removed.</p>
      <Link href="/" className="btn btn-primary">
        See upcoming events
      </Link>
    </div>
  );
}
