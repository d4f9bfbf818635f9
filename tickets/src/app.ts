/**
 * The tickets HTTP app: the events catalogue, and listing, showing, creating and editing listings.
 */
import type { Express } from 'express';
import {
  createServiceApp,
  feeSchedule,
  replicaSessionsValidFrom,
  type EventBus,
  type LiveFeed,
  type Logger,
} from '@ticketing/common';
import type { TicketsConfig } from './config';
import { eventStreamRouter } from './routes/event-stream.route';
import { eventsRouter } from './routes/events.route';
import { listTicketsRouter } from './routes/list-tickets.route';
import { newTicketRouter } from './routes/new-ticket.route';
import { quoteRouter } from './routes/quote.route';
import { showTicketRouter } from './routes/show-ticket.route';
import { updateTicketRouter } from './routes/update-ticket.route';

/** What the event pages' live streams read: this replica's feed of ticket events, and the stream. */
export interface LiveListings {
  feed: LiveFeed;
  bus: EventBus;
}

/** The tickets HTTP app: its routers, in the order they match; every price shown under one fee schedule. */
export function buildApp(config: TicketsConfig, logger: Logger, live: LiveListings): Express {
  const fees = feeSchedule(config);
  return createServiceApp(
    config,
    logger,
    [
      eventStreamRouter(live.feed, live.bus, fees, logger),
      eventsRouter(config.LISTING_CACHE_MS, fees),
      newTicketRouter(fees),
      listTicketsRouter(config.LISTING_CACHE_MS, fees),
      quoteRouter(fees),
      showTicketRouter(fees),
      updateTicketRouter(fees),
    ],
    replicaSessionsValidFrom(),
  );
}
