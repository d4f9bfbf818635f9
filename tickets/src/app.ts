/**
 * The tickets HTTP app: list, show, create and edit listings.
 */
import type { Express } from 'express';
import { createServiceApp, type Logger } from '@ticketing/common';
import type { TicketsConfig } from './config';
import { listTicketsRouter } from './routes/list-tickets.route';
import { newTicketRouter } from './routes/new-ticket.route';
import { showTicketRouter } from './routes/show-ticket.route';
import { updateTicketRouter } from './routes/update-ticket.route';

/** The tickets HTTP app: its routers, in the order they match. */
export function buildApp(config: TicketsConfig, logger: Logger): Express {
  return createServiceApp(config, logger, [
    newTicketRouter(),
    listTicketsRouter(config.LISTING_CACHE_MS),
    showTicketRouter(),
    updateTicketRouter(),
  ]);
}
