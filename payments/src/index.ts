import { createLogger, runService } from '@ticketing/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { ChargeRecovery } from './domain/charge-recovery';
import { orderFeedLag } from './domain/order-replica';
import { PaymentProcessor } from './domain/payment-processor';
import { createListeners } from './events';
import { createGateway } from './gateway';
import './models/charge.model';
import './models/order.model';

const logger = createLogger('payments');

runService(logger, () => {
  const config = readConfig();
  const processor = new PaymentProcessor(createGateway(config, logger), logger);
  const recovery = new ChargeRecovery(processor, logger);
  return {
    name: 'payments',
    logger,
    port: config.PORT,
    mongoUri: config.MONGO_URI,
    natsUrl: config.NATS_URL,
    listenerConcurrency: config.LISTENER_CONCURRENCY,
    createApp: (ctx) => buildApp(config, logger, processor, { orderFeedLag: orderFeedLag(ctx) }),
    listeners: (ctx) => createListeners(ctx, processor),
    // Charges a crash or an outage left pending are settled at start-up, then every 30 s.
    onStart: async () => recovery.start(),
    onStop: () => recovery.stop(),
  };
});
