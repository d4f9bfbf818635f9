import Link from 'next/link';
import { pathWithQuery } from '@/lib/navigation';

/**
 * Previous / next links for a list read page by page (the API says only whether a next page exists);
 * `query` (a search's filters) goes with every link.
 */
export function Pagination({
  basePath,
  page,
  nextPage,
  label,
  query = {},
}: {
  basePath: string;
  page: number;
  nextPage: number | null;
  label: string;
  query?: Record<string, string>;
}) {
  if (page <= 1 && nextPage === null) return null;
  const href = (p: number) => pathWithQuery(basePath, p <= 1 ? query : { ...query, page: p });
  return (
    <nav aria-label={label} className="mt-4">
      <ul className="pagination justify-content-center">
        <li className={`page-item${page <= 1 ? ' disabled' : ''}`}>
          {page <= 1 ? (
            <span className="page-link">Previous</span>
          ) : (
            <Link className="page-link" href={href(page - 1)} rel="prev">
              Previous
            </Link>
          )}
        </li>
        <li className="page-item active">
          <span className="page-link" aria-current="page">
            Page {page}
          </span>
        </li>
        <li className={`page-item${nextPage === null ? ' disabled' : ''}`}>
          {nextPage === null ? (
            <span className="page-link">Next</span>
          ) : (
            <Link className="page-link" href={href(nextPage)} rel="next">
              Next
            </Link>
          )}
        </li>
      </ul>
    </nav>
  );
}
