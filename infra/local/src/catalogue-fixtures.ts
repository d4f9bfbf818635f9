/**
 * Events to list tickets for, shared by the whole-backend tests, the security suite, the fault suite and
 * the bench: every listing belongs to an event of the tickets service's catalogue, so whatever lists a
 * ticket adds an event first (`POST /api/events`). Each input has a name no other has (a random tag), so
 * a caller never gets another caller's event back as a duplicate (200) by chance.
 */
import { randomUUID } from 'node:crypto';
import {
  EventCategory,
  type ApiClient,
  type CatalogEventJson,
  type EventInput,
} from '@ticketing/common';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The ISO-8601 instant `ms` from now (`startsAt` of an event starting then). */
export function startsIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/** An event the catalogue accepts: a unique name, a week from now unless `overrides` say otherwise. */
export function eventInput(overrides: Partial<EventInput> = {}): EventInput {
  return {
    name: `Test event ${randomUUID().slice(0, 8)}`,
    venue: 'Main Hall',
    city: 'Springfield',
    startsAt: startsIn(7 * DAY_MS),
    timeZone: 'America/Chicago',
    category: EventCategory.Concert,
    ...overrides,
  };
}

/** Adds a new event as `client`'s user and answers it; anything but 201 (a new event) throws. */
export async function addEvent(
  client: ApiClient,
  overrides: Partial<EventInput> = {},
): Promise<CatalogEventJson> {
  const res = await client.createEvent(eventInput(overrides));
  if (res.status !== 201) throw new Error(`event not added: ${res.status} ${res.text}`);
  return res.body;
}
