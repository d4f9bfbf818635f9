/**
 * The catalogue's rules: an event is added once however often it is posted (or raced), and a listing
 * can only be for an event that exists and has not started.
 */
import {
  BadRequestError,
  NotFoundError,
  findOneBy,
  insertDocument,
  isDuplicateKeyError,
} from '@ticketing/common';
import {
  CatalogEvent,
  catalogKeys,
  type CatalogEventAttrs,
  type CatalogEventFields,
} from '../models/catalog-event.model';

export interface AddedEvent {
  event: CatalogEventFields & { _id: unknown };
  /** false: the same event was in the catalogue already, and is answered instead. */
  created: boolean;
}

/**
 * Adds the event unless the same one is there (same name, venue and city ignoring case and repeated
 * spaces, same start): the unique `key` decides, so two sellers posting it at once get one event.
 */
export async function addEvent(attrs: CatalogEventAttrs): Promise<AddedEvent> {
  const event = new CatalogEvent({ ...attrs, ...catalogKeys(attrs) });
  try {
    await insertDocument(event);
    return { event: event.toObject(), created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const existing = await CatalogEvent.findOne({ key: event.key }).lean();
  if (!existing) throw new Error(`event ${event.key} was refused as a duplicate but is not stored`);
  return { event: existing, created: false };
}

/** The event a new listing is for: 404 when unknown, 400 on `eventId` once it has started. */
export async function eventOpenForListing(
  eventId: string,
  now = Date.now(),
): Promise<CatalogEventFields> {
  const event = await findOneBy(CatalogEvent, '_id', eventId);
  if (!event) throw new NotFoundError('Event not found');
  if (event.startsAt.getTime() <= now)
    throw new BadRequestError('The event has started', 'eventId');
  return event;
}
