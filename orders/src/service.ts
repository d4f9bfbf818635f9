/**
 * orders' service definition: what runService starts in production and useService in tests.
 */
import { connectionSettings, type Logger, type ServiceDefinition } from '@ticketing/common';
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
  return {
    name: 'orders',
    logger,
    ...connectionSettings(config),
    createApp: () => buildApp(config, logger),
    listeners: (ctx, options) => createListeners(ctx, options),
  };
}
