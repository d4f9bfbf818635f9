/**
 * The JetStream streams, one for all domain events and one for dead letters, created or brought up
 * to date at every connect.
 */
import { nanos } from '@nats-io/transport-node';
import {
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Subjects } from '../events/subjects';

/** All domain events live in one stream; a consumer per (service, subject) reads from it. */
export const EVENTS_STREAM = 'TICKETING';
/** Messages that kept failing after `max_deliver` attempts, kept for inspection and replay. */
export const DEAD_LETTER_STREAM = 'TICKETING_DLQ';
export const DEAD_LETTER_PREFIX = 'dlq';

/** Window in which a repeated `Nats-Msg-Id` is dropped; longer than any relay retry loop. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/** `user.*`, `ticket.*`, …: one wildcard per entity that has events, so a new subject is never left out. */
const EVENT_SUBJECTS = [...new Set(Object.values(Subjects).map((s) => `${s.split('.')[0]}.*`))];

const streams: Array<Partial<StreamConfig> & { name: string; subjects: string[] }> = [
  {
    name: EVENTS_STREAM,
    subjects: EVENT_SUBJECTS,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(7 * 24 * 60 * 60 * 1000),
  },
  {
    name: DEAD_LETTER_STREAM,
    subjects: [`${DEAD_LETTER_PREFIX}.>`],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  },
];

/** Creates the streams, or brings an existing one's configuration up to date. Safe to call from every replica. */
export async function ensureStreams(jsm: JetStreamManager): Promise<void> {
  for (const config of streams) {
    try {
      await jsm.streams.info(config.name);
      await jsm.streams.update(config.name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await jsm.streams.add(config);
      } catch (addErr) {
        // Another replica created it between our info and add.
        if (!String(addErr).includes('already in use')) throw addErr;
      }
    }
  }
}

export function isNotFound(err: unknown): boolean {
  return /not found/i.test(String((err as Error)?.message ?? err));
}
