/**
 * Writes with their events on the embedded engine: version-guarded saves (one of many concurrent
 * writers wins), retryOnConflict, insertReplicaOnce, and the EventRelay publishing each event once
 * across crashes, pauses and NATS outages.
 */
import { jetstream } from '@nats-io/jetstream';
import mongoose from 'mongoose';
import { Subjects } from '../events';
import { VERSIONED } from '../events/version';
import { connectEventBus, type EventBus } from '../nats/connection';
import { EventPublisher } from '../nats/publisher';
import { readEvents, sampleEventData, useTestEnvironment, waitFor } from '../testing';
import { startNats } from '../engines';
import {
  countPendingEvents,
  event,
  pendingEventsPlugin,
  saveWithEvents,
  type PendingEvent,
} from './pending-events';
import { EventRelay } from './relay';
import { insertReplicaOnce, isDuplicateKeyError, retryOnConflict } from './writes';

/** A tiny entity whose changes cause events, written the way every service writes its own. */
interface Listing {
  title: string;
  price: number;
  version: number;
  pendingEvents?: Map<string, PendingEvent>;
}
const listingSchema = new mongoose.Schema<Listing>(
  { title: { type: String, required: true }, price: { type: Number, required: true } },
  { ...VERSIONED },
);
listingSchema.plugin(pendingEventsPlugin);
const ListingModel = mongoose.model<Listing>('PendingEventsTestListing', listingSchema);

const env = useTestEnvironment('pending-events-test');

function listingEvent(listing: { id: string; title: string; price: number }, version: number) {
  const data = { id: listing.id, version, title: listing.title, price: listing.price };
  return event(Subjects.TicketUpdated, { ...sampleEventData(Subjects.TicketUpdated), ...data });
}

async function createListing(title: string, price = 20) {
  const listing = new ListingModel({ title, price });
  await saveWithEvents(listing, (version) => [
    event(Subjects.TicketCreated, {
      ...sampleEventData(Subjects.TicketCreated),
      id: listing.id as string,
      version,
      title,
      price,
    }),
  ]);
  return listing;
}

/** One price change as a route makes it: read, decide on what was read, save with the version guard. */
function raisePrice(id: string, by: number, beforeSave?: () => Promise<void>) {
  return retryOnConflict(async () => {
    const listing = await ListingModel.findById(id).orFail();
    listing.price += by;
    await beforeSave?.();
    await saveWithEvents(listing, (version) => [
      listingEvent({ id, title: listing.title, price: listing.price }, version),
    ]);
    return listing.price;
  });
}

/** The events a listing's document carries, as stored. */
async function storedEvents(id: unknown): Promise<PendingEvent[]> {
  const doc = await ListingModel.collection.findOne({ _id: id } as never);
  return Object.values((doc?.pendingEvents ?? {}) as Record<string, PendingEvent>);
}

function buildRelay(bus: EventBus = env.bus, sweepIntervalMs = 60_000) {
  return new EventRelay(new EventPublisher(bus.js), env.ctx.logger, { sweepIntervalMs });
}

describe('the embedded engine, without transactions', () => {
  it('lets exactly one of 100 concurrent updates conditioned on the same version match', async () => {
    const { insertedId } = await ListingModel.collection.insertOne({
      title: 'x',
      price: 1,
      version: 0,
    });

    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ListingModel.collection.updateOne(
          { _id: insertedId, version: 0 },
          { $set: { version: 1, price: i, [`pendingEvents.e${i}`]: { i } } },
        ),
      ),
    );

    expect(results.filter((r) => r.matchedCount === 1)).toHaveLength(1);
    const stored = await ListingModel.collection.findOne({ _id: insertedId });
    expect(Object.keys(stored!.pendingEvents as object)).toHaveLength(1);
  });

  it('loses no concurrent insert, guarded update or batched $unset of other documents', async () => {
    const ids = Array.from({ length: 400 }, () => new mongoose.Types.ObjectId());

    await Promise.all(
      ids.flatMap((_id, i) => [
        ListingModel.collection
          .insertOne({ _id, title: `t${i}`, price: 1, version: 0, pendingEvents: { a: { i } } })
          .then(() =>
            ListingModel.collection.updateOne(
              { _id, version: 0 },
              { $set: { version: 1, 'pendingEvents.b': { i } } },
            ),
          ),
        ...(i % 40 === 39
          ? [
              ListingModel.collection.updateMany(
                { _id: { $in: ids.slice(i - 39, i + 1) } },
                { $unset: { 'pendingEvents.a': 1 } },
              ),
            ]
          : []),
      ]),
    );

    const stored = await ListingModel.collection.find({ _id: { $in: ids } }).toArray();
    expect(stored).toHaveLength(400);
    expect(stored.filter((d) => d.version !== 1 || !d.pendingEvents?.b)).toEqual([]);
  });
});

describe('saveWithEvents', () => {
  it('stores a new entity and its event in one document, with the version it will have', async () => {
    const listing = await createListing('Concert');

    const stored = await ListingModel.findById(listing.id).lean();
    const pending = await storedEvents(listing._id);
    expect(stored!.version).toBe(0);
    expect(pending).toEqual([
      {
        subject: 'ticket.created',
        data: expect.objectContaining({ id: listing.id, version: 0, title: 'Concert' }),
        at: expect.any(Date),
      },
    ]);
  });

  it('stores neither the change nor its event when the version read is stale', async () => {
    const listing = await createListing('Concert');
    const stale = await ListingModel.findById(listing.id).orFail();
    await raisePrice(listing.id, 5);

    stale.price = 99;
    await expect(
      saveWithEvents(stale, (v) => [
        listingEvent({ id: listing.id as string, title: 'Concert', price: 99 }, v),
      ]),
    ).rejects.toBeInstanceOf(mongoose.Error.VersionError);

    const stored = await ListingModel.findById(listing.id).lean();
    expect(stored).toMatchObject({ price: 25, version: 1 });
    expect(await countPendingEvents()).toBe(2);
  });
});

describe('retryOnConflict', () => {
  it('lets one of two concurrent writers win; the other re-reads and decides on its result', async () => {
    const listing = await createListing('Concert', 20);
    // Both writers read version 0 before either saves, so one save must find the version gone.
    let bothRead!: () => void;
    const readBarrier = new Promise<void>((resolve) => (bothRead = resolve));
    let reads = 0;
    const afterRead = async () => {
      if (++reads === 2) bothRead();
      await readBarrier;
    };

    const prices = await Promise.all([
      raisePrice(listing.id, 1, afterRead),
      raisePrice(listing.id, 10, afterRead),
    ]);

    expect(Math.max(...prices)).toBe(31);
    expect([21, 30]).toContain(Math.min(...prices));
    expect(reads).toBe(3);
    const stored = await ListingModel.findById(listing.id).lean();
    expect(stored).toMatchObject({ price: 31, version: 2 });
    const versions = (await storedEvents(listing._id)).map(
      (e) => (e.data as { version: number }).version,
    );
    expect(versions.sort()).toEqual([0, 1, 2]);
  });
});

describe('insertReplicaOnce and isDuplicateKeyError', () => {
  it('inserts a replica once however many copies of its event arrive at once', async () => {
    const id = new mongoose.Types.ObjectId();

    const inserted = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insertReplicaOnce(ListingModel, id, { title: `copy ${i}`, price: 1, version: 0 }),
      ),
    );

    expect(inserted.filter(Boolean)).toHaveLength(1);
    expect(await ListingModel.find({ _id: id }).lean()).toHaveLength(1);
  });

  it('recognises E11000 and nothing else', () => {
    expect(isDuplicateKeyError(Object.assign(new Error('dup'), { code: 11000 }))).toBe(true);
    expect(isDuplicateKeyError(new Error('other'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });
});

describe('EventRelay', () => {
  it('publishes right after the write with Nats-Msg-Id = event id, then removes the event', async () => {
    const relay = buildRelay();
    relay.start();
    try {
      const listing = await createListing('Concert');
      const [eventId] = [...listing.pendingEvents!.keys()];

      const [published] = await waitFor(async () => {
        const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
        return events.length > 0 ? events : null;
      }, 2_000);
      expect(published!.eventId).toBe(eventId);
      await waitFor(async () => (await countPendingEvents()) === 0, 2_000);
    } finally {
      await relay.stop();
    }
  });

  it('publishes, exactly once, events written while no relay ran (the writer died before publishing)', async () => {
    await createListing('Orphan');
    await raisePrice((await ListingModel.findOne().orFail()).id, 1);

    const relay = buildRelay();
    relay.start();
    await waitFor(async () => (await countPendingEvents()) === 0);
    await relay.stop();
    // A second relay sweeping again (another replica, a restart) publishes nothing new.
    await buildRelay().drain();

    const events = await readEvents(env.bus.jsm);
    expect(events.map((e) => [e.subject, e.data.version])).toEqual([
      ['ticket.created', 0],
      ['ticket.updated', 1],
    ]);
  });

  it('does not publish twice when it died after publishing but before removing the event', async () => {
    const listing = await createListing('Published, not removed');
    const [eventId, pending] = [...listing.pendingEvents!.entries()][0]!;
    await env.ctx.publisher.publishRaw(pending.subject, pending.data, eventId);

    await buildRelay().drain();

    expect(await countPendingEvents()).toBe(0);
    expect(await readEvents(env.bus.jsm)).toHaveLength(1);
  });

  it('while paused publishes nothing, and on resume publishes the backlog', async () => {
    const relay = buildRelay(env.bus, 50);
    relay.start();
    relay.pause();
    try {
      await createListing('A');
      await createListing('B');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await readEvents(env.bus.jsm)).toHaveLength(0);
      expect(await countPendingEvents()).toBe(2);

      relay.resume();

      await waitFor(async () => (await countPendingEvents()) === 0);
      expect((await readEvents(env.bus.jsm)).map((e) => e.data)).toHaveLength(2);
    } finally {
      await relay.stop();
    }
  });

  it('publishes and removes the events of many concurrent writes, each once', async () => {
    const relay = buildRelay();
    relay.start();
    try {
      await Promise.all(Array.from({ length: 150 }, (_, i) => createListing(`Seat ${i}`)));

      await waitFor(async () => (await countPendingEvents()) === 0);
      const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
      expect(new Set(events.map((e) => e.data.title)).size).toBe(150);
      expect(events).toHaveLength(150);
    } finally {
      await relay.stop();
    }
  });

  it('stops without throwing when NATS is unreachable, leaving the events pending', async () => {
    const nats = await startNats();
    const bus = await connectEventBus(nats.url, 'pending-events-test', env.ctx.logger);
    await nats.stop();
    // A short publish timeout keeps the test fast; the default is 5 s.
    const relay = new EventRelay(
      new EventPublisher(jetstream(bus.nc, { timeout: 300 })),
      env.ctx.logger,
    );
    await createListing('Stranded');

    try {
      relay.start();
      await expect(relay.stop()).resolves.toBeUndefined();
      expect(await countPendingEvents()).toBe(1);
    } finally {
      await bus.nc.close();
    }
  });

  it('publishes, exactly once, what was written while NATS was unreachable once it is back', async () => {
    const nats = await startNats();
    const port = Number(new URL(nats.url).port);
    const bus = await connectEventBus(nats.url, 'pending-events-test', env.ctx.logger);
    const relay = new EventRelay(
      new EventPublisher(jetstream(bus.nc, { timeout: 1_000 })),
      env.ctx.logger,
      {
        sweepIntervalMs: 100,
        sweepGraceMs: 0,
      },
    );
    let restarted: Awaited<ReturnType<typeof startNats>> | undefined;
    try {
      relay.start();
      await nats.process.stop();

      await createListing('During the outage');
      expect(await countPendingEvents()).toBe(1);
      restarted = await startNats(undefined, { storeDir: nats.storeDir, port });

      await waitFor(async () => (await countPendingEvents()) === 0, 20_000);
      await relay.stop();
      const events = await readEvents(bus.jsm, Subjects.TicketCreated);
      expect(events).toHaveLength(1);
      expect(events[0]!.data.title).toBe('During the outage');
    } finally {
      await relay.stop();
      await bus.nc.close();
      await restarted?.stop();
      await nats.stop();
    }
  }, 30_000);
});
