/**
 * A page of a public list as it is sent: serialized once, so the listing caches keep bytes and hash
 * each page once, not per request.
 */
import type { Request, Response } from 'express';
import { TicketStatus } from '@ticketing/common';
import type { Page } from './pagination.schema';

/**
 * The JSON body's bytes, the next page's number when there is one, and the body's ETag once a response
 * has needed it.
 */
export interface SerializedPage {
  body: Buffer;
  nextPage?: number;
  etag?: string;
}

/**
 * The bound on an event's start that every public list applies: not started by `now`, and within the
 * query's `from`/`to` when it has them.
 */
export function upcoming(now: Date, range: { from?: Date; to?: Date } = {}) {
  return {
    $gt: now,
    ...(range.from ? { $gte: range.from } : {}),
    ...(range.to ? { $lte: range.to } : {}),
  };
}

/** Listings buyers can order: available now, of an event that has not started by `now`. */
export function openListings(now: Date, range: { from?: Date; to?: Date } = {}) {
  return { status: TicketStatus.Available, 'event.startsAt': upcoming(now, range) } as const;
}

/**
 * `rows` read one past the page (`limit + 1`, to know whether another page exists) → the page's
 * serialized body and its next page's number.
 */
export function serializePage<T>(rows: T[], { page, limit }: Page, toJson: (row: T) => unknown) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const serialized: SerializedPage = { body: Buffer.from(JSON.stringify(shown.map(toJson))) };
  if (more) serialized.nextPage = page + 1;
  return serialized;
}

/**
 * The query string as sent: what the page caches are keyed by, so a page served from memory costs not
 * even the parsing of its parameters (a bad query is never kept: its read fails with the 400).
 */
export function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at + 1);
}

/** Express's own ETag function (the app's `etag` setting), computed once per page. */
type EtagOf = (body: Buffer, encoding?: string) => string;

export function sendPage(req: Request, res: Response, page: SerializedPage): void {
  if (page.nextPage) res.set('X-Next-Page', String(page.nextPage));
  const etagOf = req.app.get('etag fn') as EtagOf | undefined;
  if (etagOf) res.set('ETag', (page.etag ??= etagOf(page.body)));
  res.status(200).type('json').send(page.body);
}
