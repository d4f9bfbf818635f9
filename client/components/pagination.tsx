import Link from 'next/link';

/** Previous / next links for a list read page by page (the API says only whether a next page exists). */
export function Pagination({
  basePath,
  page,
  nextPage,
  label,
}: {
  basePath: string;
  page: number;
  nextPage: number | null;
  label: string;
}) {
  if (page <= 1 && nextPage === null) return null;
  const href = (p: number) => (p <= 1 ? basePath : `${basePath}?page=${p}`);
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
