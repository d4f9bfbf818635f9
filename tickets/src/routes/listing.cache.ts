/**
 * The in-memory cache of the public listing's pages, dropped on every commit of this process.
 */
import { LRUCache } from 'lru-cache';
import { onCommit } from '@ticketing/common';

/** Distinct `page:limit` pages kept (about 18 kB each at 100 tickets a page). */
const MAX_PAGES = 1_000;

/**
 * The public listing (`GET /api/tickets`: the same pages for every visitor, the busiest read) kept in
 * memory. Every page is dropped as soon as this process stores a change (all ticket writes here go
 * through `saveWithEvents`), so a replica never serves a page older than its own last commit; a commit made
 * by another replica shows within `ttlMs`. Concurrent misses for one page share one database read, and a
 * read that was under way when a commit landed answers only the requests that arrived before it.
 * `ttlMs` 0 turns it off.
 */
export class ListingCache<Page> {
  private readonly pages?: LRUCache<string, Promise<Page>>;

  constructor(ttlMs: number) {
    if (ttlMs <= 0) return;
    const pages = new LRUCache<string, Promise<Page>>({ max: MAX_PAGES, ttl: ttlMs });
    onCommit(() => pages.clear());
    this.pages = pages;
  }

  /** Drops every page: a change this process made that its commits do not announce. */
  clear(): void {
    this.pages?.clear();
  }

  read(key: string, load: () => Promise<Page>): Promise<Page> {
    const pages = this.pages;
    if (!pages) return load();
    const cached = pages.get(key);
    if (cached) return cached;
    const loading = load();
    pages.set(key, loading);
    loading.catch(() => {
      if (pages.peek(key) === loading) pages.delete(key);
    });
    return loading;
  }
}
