/**
 * Where to go after signing in: only a path on this site (`/orders`), never another origin
 * (`//evil.example`, `https://…`), so a crafted link cannot send a user off-site.
 */
export function safeNextPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string') return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** `?page=3` → 3; anything else (absent, 0, "abc", repeated) → 1. */
export function pageFromSearchParam(value: string | string[] | undefined): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,5}$/.test(value)) return 1;
  return Number(value);
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A search parameter as one string: the first of a repeated one, '' when absent. */
export function firstParam(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * `basePath` with the query's non-empty parameters, in the order given: the link to another page of a
 * filtered list keeps its filters.
 */
export function pathWithQuery(basePath: string, query: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${basePath}?${text}` : basePath;
}
