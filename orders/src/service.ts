/**
 * orders' service definition: what runService starts in production and useService in tests.
 */
import {
  LiveFeed,
  connectionSettings,
  type Logger,
  type ServiceDefinition,
} from '@ticketing/common';
import { buildApp } from './app';
import type { OrdersConfig } from './config';
import { createListeners } from './events';
// Registered before the start, so startService builds their indexes before traffic.
import './models/order.model';
import './models/ticket.model';

/**
 * The orders service as common's runService starts it: the orders' HTTP app, and the listeners that
 * keep the listing replica and move orders along (hold refused, expired, paid, refunded). Builds, never
 * starts: tests start it with useService.
 */
export function defineOrdersService(config: OrdersConfig, logger: Logger): ServiceDefinition {
  // This replica's own view of the orders' events, for the order pages' live streams.
  let feed: LiveFeed | undefined;
  return {
    name: 'orders',
    logger,
    ...connectionSettings(config),
    onStart: async (ctx) => {
      feed = new LiveFeed(ctx.bus, logger, 'order.*', (event) => event.data.id);
      await feed.start();
    },
    onStop: async () => feed?.stop(),
    createApp: () => buildApp(config, logger, feed!),
    listeners: (ctx, options) => createListeners(ctx, options),
  };
}
