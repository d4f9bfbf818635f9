/**
 * tickets' service definition: what runService starts in production and useService in tests.
 */
import { connectionSettings, type Logger, type ServiceDefinition } from '@ticketing/common';
import { buildApp } from './app';
import type { TicketsConfig } from './config';
import { createListeners } from './events';
// Registered before the start, so startService builds their indexes before traffic.
import './models/cancelled-order.model';
import './models/catalog-event.model';
import './models/ticket.model';

/**
 * The tickets service as common's runService starts it: the listings' HTTP app, and the listeners that
 * lock, release and sell a ticket for orders. Builds, never starts: tests start it with useService.
 */
export function defineTicketsService(config: TicketsConfig, logger: Logger): ServiceDefinition {
  return {
    name: 'tickets',
    logger,
    ...connectionSettings(config),
    createApp: () => buildApp(config, logger),
    listeners: (ctx, options) => createListeners(ctx, options),
  };
}
