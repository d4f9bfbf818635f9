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
