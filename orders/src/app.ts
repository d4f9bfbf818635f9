/**
 * The orders HTTP app: place, list, show and cancel a buyer's orders.
 */
import type { Express } from 'express';
import {
  createServiceApp,
  replicaSessionsValidFrom,
  type LiveFeed,
  type Logger,
} from '@ticketing/common';
import type { OrdersConfig } from './config';
import { cancelOrderRouter } from './routes/cancel-order.route';
import { listOrdersRouter } from './routes/list-orders.route';
import { newOrderRouter } from './routes/new-order.route';
import { orderStreamRouter } from './routes/order-stream.route';
import { showOrderRouter } from './routes/show-order.route';

/** The orders HTTP app: its routers, in the order they match; `feed` drives the order streams. */
export function buildApp(config: OrdersConfig, logger: Logger, feed: LiveFeed): Express {
  return createServiceApp(
    config,
    logger,
    [
      newOrderRouter(config),
      listOrdersRouter(),
      orderStreamRouter(feed, logger),
      showOrderRouter(),
      cancelOrderRouter(),
    ],
    replicaSessionsValidFrom(),
  );
}
