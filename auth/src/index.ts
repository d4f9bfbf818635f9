import { createLogger, runService } from '@ticketing/common';
import { buildApp } from './app';
import { readConfig } from './config';
import './models/user.model';

const logger = createLogger('auth');

runService(logger, () => {
  const config = readConfig();
  return {
    name: 'auth',
    logger,
    port: config.PORT,
    mongoUri: config.MONGO_URI,
    natsUrl: config.NATS_URL,
    listenerConcurrency: config.LISTENER_CONCURRENCY,
    createApp: () => buildApp(config, logger),
  };
});
