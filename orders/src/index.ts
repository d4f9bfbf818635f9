import { createLogger, runService } from '@ticketing/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { createListeners } from './events';
import './models/order.model';
import './models/ticket.model';

const logger = createLogger('orders');

runService(logger, () => {
  const config = readConfig();
  return {
    name: 'orders',
    logger,
    port: config.PORT,
    mongoUri: config.MONGO_URI,
    natsUrl: config.NATS_URL,
    listenerConcurrency: config.LISTENER_CONCURRENCY,
    createApp: () => buildApp(config, logger),
    listeners: (ctx) => createListeners(ctx),
  };
});
