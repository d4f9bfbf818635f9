import Link from 'next/link';
import { pathWithQuery } from '@/lib/navigation';

export interface SortOption<T extends string> {
  value: T;
  label: string;
}

/**
 * The ways a list can be sorted, as links (`?sort=…`, back to the first page): plain navigation that
 * works without JavaScript; the current one is marked for assistive technology too.
 */
export function SortLinks<T extends string>({
  basePath,
  options,
  current,
  query = {},
  label,
}: {
  basePath: string;
  options: readonly SortOption<T>[];
  current: T;
  /** Other parameters the links keep (a search's filters). */
  query?: Record<string, string>;
  label: string;
}) {
  return (
    <nav aria-label={label} className="d-flex flex-wrap align-items-center gap-2">
      <span className="text-body-secondary small" aria-hidden="true">
        Sort by
      </span>
      <ul className="nav nav-pills small">
        {options.map((option) => {
          const active = option.value === current;
          return (
            <li key={option.value} className="nav-item">
              <Link
                href={pathWithQuery(basePath, { ...query, sort: option.value })}
                className={`nav-link py-1 px-2${active ? ' active' : ''}`}
                aria-current={active ? 'true' : undefined}
              >
                {option.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** `?sort=` → one of `options` (the first when absent or unknown, so a bad link still shows a list). */
export function sortFromSearchParam<T extends string>(
  value: string | string[] | undefined,
  options: readonly SortOption<T>[],
): T {
  const wanted = Array.isArray(value) ? value[0] : value;
  const found = options.find((option) => option.value === wanted);
  return (found ?? options[0]!).value;
}
