/**
 * The catalogue: the events listings are for (what, where, when). An event is stored once however
 * often it is posted (its `key`), and never edited once it has listings, so listings carry a copy.
 */
import mongoose from 'mongoose';
import { EventCategory, type CatalogEventJson } from '@ticketing/common';
import { normalizeText } from '../domain/search-text';

export interface CatalogEventAttrs {
  name: string;
  venue: string;
  city: string;
  category: EventCategory;
  startsAt: Date;
  /** IANA zone the venue's clock runs in: how dates are shown. */
  timeZone: string;
  /** Who added it to the catalogue. */
  userId: string;
}

export interface CatalogEventFields extends CatalogEventAttrs {
  /**
   * What makes two postings the same event: name, venue and city compared ignoring case and repeated
   * spaces, and the same start. Unique.
   */
  key: string;
  /** The city as filters compare it (`normalizeText`). */
  cityKey: string;
  /** Name, venue and city as `q` searches them (`normalizeText`). */
  search: string;
  createdAt: Date;
}

/** The stored fields `toCatalogEventJson` reads: lean reads project exactly these. */
export const EVENT_JSON_PROJECTION = {
  name: 1,
  venue: 1,
  city: 1,
  category: 1,
  startsAt: 1,
  timeZone: 1,
} as const;

export type StoredCatalogEvent = Pick<CatalogEventFields, keyof typeof EVENT_JSON_PROJECTION> & {
  _id: unknown;
};

/** The catalogue's event as every route and every listing shows it. */
export function toCatalogEventJson(event: StoredCatalogEvent): CatalogEventJson {
  return {
    id: String(event._id),
    name: event.name,
    venue: event.venue,
    city: event.city,
    category: event.category,
    startsAt: event.startsAt.toISOString(),
    timeZone: event.timeZone,
  };
}

/** The derived fields of an event: its identity key and what filters and search compare. */
export function catalogKeys(
  attrs: CatalogEventAttrs,
): Pick<CatalogEventFields, 'key' | 'cityKey' | 'search'> {
  const [name, venue, city] = [attrs.name, attrs.venue, attrs.city].map(normalizeText);
  return {
    key: [name, venue, city, attrs.startsAt.toISOString()].join('\n'),
    cityKey: city!,
    search: [name, venue, city].join(' '),
  };
}

const catalogEventSchema = new mongoose.Schema<CatalogEventFields>(
  {
    name: { type: String, required: true },
    venue: { type: String, required: true },
    city: { type: String, required: true },
    category: { type: String, enum: Object.values(EventCategory), required: true },
    startsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
    userId: { type: String, required: true },
    key: { type: String, required: true },
    cityKey: { type: String, required: true },
    search: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
// One stored event per name, venue, city and start, however often it is posted or raced.
catalogEventSchema.index({ key: 1 }, { unique: true });
// GET /api/events: soonest first (`_id` orders events starting at the same instant), by city, by category.
catalogEventSchema.index({ startsAt: 1, _id: 1 });
catalogEventSchema.index({ cityKey: 1, startsAt: 1, _id: 1 });
catalogEventSchema.index({ category: 1, startsAt: 1, _id: 1 });

export const CatalogEvent = mongoose.model<CatalogEventFields>(
  'CatalogEvent',
  catalogEventSchema,
  'events',
);
