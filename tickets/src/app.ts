/**
 * The tickets HTTP app: list, show, create and edit listings.
 */
import type { Express } from 'express';
import { createHttpApp, type Logger } from '@ticketing/common';
import type { TicketsConfig } from './config';
import { listTicketsRouter } from './routes/list-tickets.route';
import { newTicketRouter } from './routes/new-ticket.route';
import { showTicketRouter } from './routes/show-ticket.route';
import { updateTicketRouter } from './routes/update-ticket.route';

/** Builds the tickets HTTP app; never listens (tests drive it in-process). */
export function buildApp(config: TicketsConfig, logger: Logger): Express {
  return createHttpApp({
    logger,
    jwtKey: config.JWT_KEY,
    secureCookies: config.NODE_ENV === 'production',
    routes(app) {
      app.use(newTicketRouter());
      app.use(listTicketsRouter(config.LISTING_CACHE_MS));
      app.use(showTicketRouter());
      app.use(updateTicketRouter());
    },
  });
}
