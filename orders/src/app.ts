/**
 * The orders HTTP app: place, list, show and cancel a buyer's orders.
 */
import type { Express } from 'express';
import { createHttpApp, type Logger } from '@ticketing/common';
import type { OrdersConfig } from './config';
import { cancelOrderRouter } from './routes/cancel-order.route';
import { listOrdersRouter } from './routes/list-orders.route';
import { newOrderRouter } from './routes/new-order.route';
import { showOrderRouter } from './routes/show-order.route';

/** Builds the orders HTTP app; never listens (tests drive it in-process). */
export function buildApp(config: OrdersConfig, logger: Logger): Express {
  return createHttpApp({
    logger,
    jwtKey: config.JWT_KEY,
    secureCookies: config.NODE_ENV === 'production',
    routes(app) {
      app.use(newOrderRouter(config));
      app.use(listOrdersRouter());
      app.use(showOrderRouter());
      app.use(cancelOrderRouter());
    },
  });
}
