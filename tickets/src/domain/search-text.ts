/**
 * How the catalogue compares and searches text: case, accents' composed forms and runs of spaces do
 * not matter, and a search matches when every word of it appears, in any order.
 */

/** `"  Madison   Square GARDEN "` → `"madison square garden"`: what keys, filters and search compare. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

const REGEX_SPECIALS = /[.*+?^${}()|[\]\\]/g;

/**
 * The filter that matches `field` (holding `normalizeText` of the searchable text) when it contains every
 * word of `q`, in any order; undefined for a blank `q`. Words are matched as written, never as patterns.
 */
export function allWordsFilter(field: string, q: string | undefined): object | undefined {
  const words = normalizeText(q ?? '')
    .split(' ')
    .filter(Boolean);
  if (words.length === 0) return undefined;
  return {
    $and: words.map((word) => ({ [field]: { $regex: word.replace(REGEX_SPECIALS, '\\$&') } })),
  };
}
