import Link from 'next/link';
import { EVENT_CATEGORIES } from '@/lib/api/types';
import { CATEGORY_LABELS } from '@/lib/format';
import { firstParam } from '@/lib/navigation';

/** The event filters as the home page's URL carries them (`?q=&city=&category=&from=&to=`). */
export type EventFilters = Record<'q' | 'city' | 'category' | 'from' | 'to', string>;

/** The filters in the page's search parameters, '' for each one absent. */
export function readEventFilters(
  params: Record<string, string | string[] | undefined>,
): EventFilters {
  const read = (name: keyof EventFilters) => firstParam(params[name]).trim();
  return {
    q: read('q'),
    city: read('city'),
    category: read('category'),
    from: read('from'),
    to: read('to'),
  };
}

export function hasEventFilters(filters: EventFilters): boolean {
  return Object.values(filters).some((value) => value !== '');
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The home page's search: a plain GET form, so it works without JavaScript and a search is a URL
 * that can be shared, reloaded or paged; each input starts with what the URL says.
 */
export function EventSearchForm({ filters }: { filters: EventFilters }) {
  return (
    <form
      method="get"
      action="/"
      role="search"
      aria-label="Search events"
      className="card card-body mb-4"
    >
      <div className="row g-3 align-items-end">
        <div className="col-12 col-lg-4">
          <label htmlFor="search-q" className="form-label">
            Search
          </label>
          <input
            id="search-q"
            name="q"
            type="search"
            className="form-control"
            defaultValue={filters.q}
            maxLength={200}
            placeholder="Artist, team, show or venue"
          />
        </div>
        <div className="col-sm-6 col-lg-2">
          <label htmlFor="search-city" className="form-label">
            City
          </label>
          <input
            id="search-city"
            name="city"
            className="form-control"
            defaultValue={filters.city}
            maxLength={120}
            autoComplete="address-level2"
          />
        </div>
        <div className="col-sm-6 col-lg-2">
          <label htmlFor="search-category" className="form-label">
            Category
          </label>
          <select
            id="search-category"
            name="category"
            className="form-select"
            defaultValue={filters.category}
          >
            <option value="">Any category</option>
            {EVENT_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {CATEGORY_LABELS[category]}
              </option>
            ))}
          </select>
        </div>
        <div className="col-sm-6 col-lg-2">
          <label htmlFor="search-from" className="form-label">
            From
          </label>
          <input
            id="search-from"
            name="from"
            type="date"
            className="form-control"
            // A date input shows only a plain date; a date-time from a hand-made URL starts it empty.
            defaultValue={DATE_ONLY.test(filters.from) ? filters.from : undefined}
          />
        </div>
        <div className="col-sm-6 col-lg-2">
          <label htmlFor="search-to" className="form-label">
            To
          </label>
          <input
            id="search-to"
            name="to"
            type="date"
            className="form-control"
            defaultValue={DATE_ONLY.test(filters.to) ? filters.to : undefined}
          />
        </div>
        <div className="col-12 d-flex gap-2">
          <button type="submit" className="btn btn-primary">
            Search
          </button>
          <Link href="/" className="btn btn-outline-secondary">
            Clear
          </Link>
        </div>
      </div>
    </form>
  );
}
