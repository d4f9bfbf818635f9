/**
 * The connection to the event bus: NATS with JetStream, retried at start and reconnected forever,
 * with the streams ensured.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { Logger } from '../logger/logger';
import { ensureStreams } from './streams';

export interface EventBus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

/** Connects (retrying while NATS starts), creates the streams, and reconnects forever after. */
export async function connectEventBus(
  url: string,
  name: string,
  logger: Logger,
): Promise<EventBus> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect')
        logger.warn({ nats: status.type }, 'event bus connection');
    }
  })();
  const jsm = await jetstreamManager(nc);
  await ensureStreams(jsm);
  return { nc, js: jetstream(nc), jsm };
}
