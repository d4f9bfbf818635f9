/**
 * GET /api/events/:id/stream (public): the event's listings as Server-Sent Events, for its page — first
 * the open listings now, then each change as it happens: a new listing, one reserved, released, sold, or
 * at a new price. Ids are JetStream sequences: a client reconnecting with `Last-Event-ID` is sent the
 * changes it missed from the stream, then the live ones, without a gap.
 */
import { Router, type Request, type Response } from 'express';
import {
  NotFoundError,
  Subjects,
  TicketStatus,
  eventsSince,
  lastEventId,
  lastSequence,
  requireObjectIdParam,
  sseFrame,
  type EventBus,
  type FeedEvent,
  type FeeSchedule,
  type ListingData,
  type LiveFeed,
  type LiveStreams,
  type Logger,
} from '@ticketing/common';
import { CatalogEvent } from '../models/catalog-event.model';
import {
  Ticket,
  TICKET_JSON_PROJECTION,
  pricedListing,
  toTicketJson,
} from '../models/ticket.model';
import { openListings } from './serialized-page';

/** What happened to a listing, as the event page shows it. */
export type ListingChange =
  'listed' | 'reserved' | 'released' | 'sold' | 'price-changed' | 'updated';

/** The feed's key of a ticket event: its event's id. */
export const byEventId = (event: FeedEvent) =>
  event.subject === Subjects.TicketCreated || event.subject === Subjects.TicketUpdated
    ? (event.data as ListingData).eventId
    : undefined;

export function eventStreamRouter(
  feed: LiveFeed,
  bus: EventBus,
  fees: FeeSchedule,
  logger: Logger,
): Router {
  const frames = new ChangeFrames(fees);
  const router = Router();
  router.get(
    '/api/events/:id/stream',
    requireObjectIdParam('id', 'Event'),
    async (req: Request<{ id: string }>, res: Response) => {
      const eventId = req.params.id;
      if (!(await CatalogEvent.exists({ _id: eventId })))
        throw new NotFoundError('Event not found');
      const resumeAfter = lastEventId(req);

      const stream = (req.app.locals.liveStreams as LiveStreams).start(req, res);
      /** What the client knows of each listing: to tell a release or a price change from an edit. */
      const known = new Map<string, Pick<ListingData, 'status' | 'price'>>();
      let sentSeq = 0;
      const sendChange = (event: FeedEvent) => {
        if (event.seq <= sentSeq || stream.closed) return;
        sentSeq = event.seq;
        const listing = event.data as ListingData;
        const before = known.get(listing.id);
        known.set(listing.id, { status: listing.status, price: listing.price });
        stream.send(frames.of(event, changeOf(event.subject, listing, before)));
      };
      // Live changes wait while the first message (the listings, or the missed changes) is prepared.
      const waiting: FeedEvent[] = [];
      let live = false;
      stream.onClose(
        feed.watch(eventId, (event) => (live ? sendChange(event) : waiting.push(event))),
      );

      try {
        if (resumeAfter !== undefined) {
          sentSeq = resumeAfter;
          for (const missed of await eventsSince(bus, 'ticket.*', resumeAfter))
            if (byEventId(missed) === eventId) sendChange(missed);
        } else {
          const seq = await lastSequence(bus);
          const now = new Date();
          const tickets = await Ticket.find(
            { ...openListings(now), eventId },
            TICKET_JSON_PROJECTION,
          )
            .sort({ price: 1, _id: 1 })
            .lean();
          for (const ticket of tickets)
            known.set(String(ticket._id), { status: ticket.status, price: ticket.price });
          sentSeq = seq;
          stream.send({
            id: seq,
            event: 'listings',
            data: { tickets: tickets.map((ticket) => toTicketJson(ticket, fees, now.getTime())) },
          });
        }
      } catch (err) {
        logger.warn({ err, eventId }, 'event stream: could not start; the client reconnects');
        stream.end();
        return;
      }
      live = true;
      for (const event of waiting.splice(0)) sendChange(event);
    },
  );
  return router;
}

/**
 * The `event: listing` frame of a change, made once for all the streams it goes to: they differ only in
 * what each client knew before (`change`), so the last change's few frames are kept.
 */
class ChangeFrames {
  private seq = -1;
  private readonly frames = new Map<ListingChange, string>();

  constructor(private readonly fees: FeeSchedule) {}

  of(event: FeedEvent, change: ListingChange): string {
    if (event.seq !== this.seq) {
      this.seq = event.seq;
      this.frames.clear();
    }
    let frame = this.frames.get(change);
    if (frame === undefined) {
      frame = sseFrame({
        id: event.seq,
        event: 'listing',
        data: { change, ticket: pricedListing(event.data as ListingData, this.fees) },
      });
      this.frames.set(change, frame);
    }
    return frame;
  }
}

function changeOf(
  subject: string,
  listing: ListingData,
  before: Pick<ListingData, 'status' | 'price'> | undefined,
): ListingChange {
  if (subject === Subjects.TicketCreated) return 'listed';
  if (listing.status === TicketStatus.Reserved) return 'reserved';
  if (listing.status === TicketStatus.Sold) return 'sold';
  if (before?.status === TicketStatus.Reserved) return 'released';
  if (before && before.price !== listing.price) return 'price-changed';
  return 'updated';
}
