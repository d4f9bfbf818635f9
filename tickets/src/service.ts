/**
 * tickets' service definition: what runService starts in production and useService in tests.
 */
import {
  LiveFeed,
  connectionSettings,
  type Logger,
  type ServiceDefinition,
} from '@ticketing/common';
import { buildApp } from './app';
import type { TicketsConfig } from './config';
import { createListeners } from './events';
import { byEventId } from './routes/event-stream.route';
// Registered before the start, so startService builds their indexes before traffic.
import './models/cancelled-order.model';
import './models/catalog-event.model';
import './models/ticket.model';

/**
 * The tickets service as common's runService starts it: the listings' HTTP app, and the listeners that
 * lock, release and sell a ticket for orders. Builds, never starts: tests start it with useService.
 */
export function defineTicketsService(config: TicketsConfig, logger: Logger): ServiceDefinition {
  // This replica's own view of the ticket events, for the event pages' live streams.
  let feed: LiveFeed | undefined;
  return {
    name: 'tickets',
    logger,
    ...connectionSettings(config),
    onStart: async (ctx) => {
      feed = new LiveFeed(ctx.bus, logger, 'ticket.*', byEventId);
      await feed.start();
    },
    onStop: async () => feed?.stop(),
    createApp: (ctx) => buildApp(config, logger, { feed: feed!, bus: ctx.bus }),
    listeners: (ctx, options) => createListeners(ctx, options),
  };
}
