/**
 * Order expiries as delayed BullMQ jobs in Redis, and the worker that publishes order.expired when
 * one comes due: retry policy, job retention and Redis connections.
 */
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { Subjects, type EventPublisher, type Logger } from '@ticketing/common';
import { delayUntil, type OrderExpiry } from './order-expiry';

export const EXPIRATION_QUEUE = 'order-expiration';
const EXPIRE_JOB = 'expire';

/** What a job keeps in Redis. `expiresAt` is only for the lateness in the log line. */
export interface ExpiryJobData {
  orderId: string;
  version: number;
  expiresAt: string;
}

/** The `Nats-Msg-Id` of an order's expiry: a re-run job publishes the same id and JetStream drops it. */
export function orderExpiredEventId(orderId: string): string {
  return `order.expired:${orderId}`;
}

export interface RetryPolicy {
  /** Publish attempts before a job is left in the failed set. */
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * 1 s, 2 s, 4 s … then every 60 s: about 45 minutes of NATS being unreachable before a job gives up.
 * Capped, because uncapped doubling reaches half-hour gaps after a dozen failures, and an expiry would
 * then publish up to half an hour after NATS came back.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 50, firstDelayMs: 1_000, maxDelayMs: 60_000 };
const BACKOFF_TYPE = 'capped-exponential';

/**
 * Finished jobs keep their id for a day, so an `order.created` redelivered after its expiry fired finds
 * the id taken and schedules nothing (BullMQ ignores an add whose job id exists; a removed job's id is
 * free again). JetStream redelivers within minutes, so a day is a wide margin. The count bounds memory:
 * a finished job takes about 1.7 KB of Redis, so 10,000 is ~17 MB of the 192 MB (noeviction) Redis.
 */
const KEEP_COMPLETED = { age: 24 * 60 * 60, count: 10_000 };
/** A job that gave up stays a week, for `queue.retryJobs({ state: 'failed' })` once NATS is back. */
const KEEP_FAILED = { age: 7 * 24 * 60 * 60, count: 10_000 };

export interface ExpirationQueueOptions {
  redisUrl: string;
  /** Where `order.expired` goes; the service's own publisher (real JetStream, dedupe by msg id). */
  publisher: Pick<EventPublisher, 'publish'>;
  logger: Logger;
  retry?: RetryPolicy;
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
]);

/** Connection loss is logged once per change by the connections themselves; other errors are news. */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: string }).code;
  return (
    (code !== undefined && CONNECTION_ERRORS.has(code)) || /Connection is closed/.test(err.message)
  );
}

/**
 * The expiry of every open order, as one delayed BullMQ job per order in Redis (job id = order id), and
 * the worker that publishes `order.expired` when a job comes due. Jobs live in Redis, not in this
 * process: a restarted or replaced replica finds them there, and any replica's worker may run them.
 */
export class ExpirationQueue {
  readonly queue: Queue<ExpiryJobData>;
  private readonly worker: Worker<ExpiryJobData>;
  private readonly connections: Redis[];
  private readonly logger: Logger;
  private readonly retry: RetryPolicy;
  private stopping = false;
  private stopped?: Promise<void>;

  private constructor(private readonly options: ExpirationQueueOptions) {
    this.logger = options.logger;
    this.retry = options.retry ?? DEFAULT_RETRY;
    // BullMQ's blocking worker commands need `maxRetriesPerRequest: null`. The queue gets the same: a
    // command issued while Redis is away waits for it (the listener holds its message meanwhile) instead
    // of failing and being retried into the dead letters during a Redis restart.
    const queueConnection = this.connect('queue');
    const workerConnection = this.connect('worker');
    this.connections = [queueConnection, workerConnection];
    this.queue = new Queue<ExpiryJobData>(EXPIRATION_QUEUE, { connection: queueConnection });
    this.worker = new Worker<ExpiryJobData>(EXPIRATION_QUEUE, (job) => this.expire(job), {
      connection: workerConnection,
      // Each job is one publish; a burst of holds ending together should not queue behind each other.
      concurrency: 10,
      // After losing Redis, look for due jobs again after 1 s rather than BullMQ's default 15 s.
      runRetryDelay: 1_000,
      // An idle worker blocks on Redis for 1 s at a time (default 5 s): one cheap command a second, and
      // a close forced while Redis is away leaves that blocking call's watchdog timer (drainDelay + 1 s)
      // running for 2 s instead of 6 s.
      drainDelay: 1,
      settings: { backoffStrategy: (attemptsMade) => this.backoffMs(attemptsMade) },
    });
    this.queue.on('error', (err) => this.logError(err, 'expiration queue error'));
    this.worker.on('error', (err) => this.logError(err, 'expiration worker error'));
    this.worker.on('failed', (job, err) => this.onFailed(job, err));
  }

  /** Connects to Redis (waiting while it starts, like the event bus) and starts the worker. */
  static async start(options: ExpirationQueueOptions): Promise<ExpirationQueue> {
    const expiration = new ExpirationQueue(options);
    try {
      await Promise.all([expiration.queue.waitUntilReady(), expiration.worker.waitUntilReady()]);
    } catch (err) {
      await expiration.stop();
      throw err;
    }
    return expiration;
  }

  /** Schedules the order's expiry; an order that already has a job (a redelivery) keeps the one it has. */
  async schedule(expiry: OrderExpiry): Promise<void> {
    const { orderId, version, expiresAt } = expiry;
    const delay = delayUntil(expiresAt);
    const options: JobsOptions = {
      jobId: orderId,
      delay,
      attempts: this.retry.attempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
    const data: ExpiryJobData = { orderId, version, expiresAt: expiresAt.toISOString() };
    await this.queue.add(EXPIRE_JOB, data, options);
    this.logger.debug({ orderId, delayMs: delay }, 'order expiry scheduled');
  }

  /**
   * Drops an order's expiry that has not fired yet: the order was paid or cancelled, so it would only
   * make orders read an event it ignores. A job that already ran keeps its record (and with it the
   * redelivery guard); one running right now is locked and left alone, which is equally harmless.
   */
  async cancel(orderId: string): Promise<void> {
    const state = await this.queue.getJobState(orderId);
    if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return;
    await this.queue.remove(orderId);
    this.logger.debug({ orderId }, 'order expiry cancelled');
  }

  /** Both Redis connections are up (for /readyz). */
  isReady(): boolean {
    return this.connections.every((connection) => connection.status === 'ready');
  }

  /**
   * Lets the jobs in hand finish publishing (if Redis is up), then closes the worker, the queue and
   * the connections. Safe to call more than once.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      // With Redis away a graceful close never returns (BullMQ QUITs its own blocking connection, which
      // waits for Redis), and a job in hand could not be recorded as done anyway: force it. Such a job
      // stays active in Redis, is taken up again as stalled, and its repeated publish has the same msg id.
      await this.worker.close(!this.isReady());
      await this.queue.close();
      for (const connection of this.connections) {
        // QUIT would wait for a Redis that is away; there is nothing left to flush, so just drop it.
        if (connection.status === 'ready') await connection.quit();
        else connection.disconnect();
      }
    })();
    return this.stopped;
  }

  private async expire(job: Job<ExpiryJobData>): Promise<void> {
    const { orderId, version, expiresAt } = job.data;
    // A failed publish fails the job, and BullMQ runs it again after the backoff.
    await this.options.publisher.publish(
      Subjects.OrderExpired,
      { id: orderId, version },
      orderExpiredEventId(orderId),
    );
    this.logger.info(
      { orderId, attempt: job.attemptsMade + 1, lateMs: Date.now() - Date.parse(expiresAt) },
      'order expired',
    );
  }

  private backoffMs(attemptsMade: number): number {
    const { firstDelayMs, maxDelayMs } = this.retry;
    return Math.min(firstDelayMs * 2 ** Math.max(0, attemptsMade - 1), maxDelayMs);
  }

  private onFailed(job: Job<ExpiryJobData> | undefined, err: Error): void {
    const orderId = job?.data.orderId;
    if (job && job.attemptsMade >= this.retry.attempts) {
      this.logger.error(
        { err, orderId, attempts: job.attemptsMade },
        'order expiry gave up; it stays in the failed set until retried',
      );
    } else {
      this.logger.warn(
        { err, orderId, attempt: job?.attemptsMade },
        'order expiry failed; will retry',
      );
    }
  }

  private connect(role: 'queue' | 'worker'): Redis {
    const connection = new Redis(this.options.redisUrl, {
      maxRetriesPerRequest: null,
      connectionName: `expiration:${role}`,
    });
    let lost = false;
    connection.on('close', () => {
      if (lost || this.stopping) return;
      lost = true;
      this.logger.warn({ redis: role }, 'redis connection lost; reconnecting');
    });
    connection.on('ready', () => {
      if (!lost) return;
      lost = false;
      this.logger.info({ redis: role }, 'redis connection restored');
    });
    return connection;
  }

  private logError(err: Error, message: string): void {
    if (!isConnectionError(err)) this.logger.error({ err }, message);
  }
}
