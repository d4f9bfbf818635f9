import { jetstream } from '@nats-io/jetstream';
import mongoose from 'mongoose';
import { Subjects } from '../events';
import { connectEventBus, type EventBus } from '../nats/connection';
import { EventPublisher } from '../nats/publisher';
import { readEvents, useTestEnvironment, waitFor } from '../testing';
import { startNats } from '../engines';
import { countPendingEvents, OutboxModel, serialized, withOutbox } from './outbox';
import { OutboxRelay } from './relay';

/** A tiny piece of service state whose changes cause events. */
interface Listing {
  title: string;
  price: number;
  version: number;
}
const ListingModel = mongoose.model<Listing>(
  'OutboxTestListing',
  new mongoose.Schema<Listing>({
    title: { type: String, required: true },
    price: { type: Number, required: true },
    version: { type: Number, required: true },
  }),
);

const env = useTestEnvironment('outbox-test');

/** Creates a listing and records its ticket.created event in one transaction, as a route would. */
function createListing(title: string, price = 20) {
  return withOutbox(async (tx) => {
    const [listing] = await ListingModel.create([{ title, price, version: 0 }], {
      session: tx.session,
    });
    tx.publish(Subjects.TicketCreated, {
      id: listing!.id as string,
      version: 0,
      title,
      price,
      userId: 'seller-1',
      status: 'available',
    });
    return listing!;
  });
}

function buildRelay(bus: EventBus = env.bus, pollIntervalMs = 60_000) {
  return new OutboxRelay(new EventPublisher(bus.js), env.ctx.logger, { pollIntervalMs });
}

describe('withOutbox', () => {
  it('commits the state change and its outbox entry together', async () => {
    const listing = await createListing('Concert');

    const entries = await OutboxModel.find().lean();
    expect(await ListingModel.countDocuments()).toBe(1);
    expect(entries).toEqual([
      {
        _id: expect.stringMatching(/^[0-9a-f]{24}$/),
        subject: 'ticket.created',
        data: expect.objectContaining({ id: listing.id, title: 'Concert', version: 0 }),
        createdAt: expect.any(Date),
      },
    ]);
    expect(await countPendingEvents()).toBe(1);
  });

  it('returns what the work returned', async () => {
    const listing = await createListing('Opera');

    expect(listing.title).toBe('Opera');
  });

  it('leaves neither the state nor the event when the work throws', async () => {
    const attempt = withOutbox(async (tx) => {
      await ListingModel.create([{ title: 'Ballet', price: 30, version: 0 }], {
        session: tx.session,
      });
      tx.publish(Subjects.TicketCreated, {
        id: 'never-stored',
        version: 0,
        title: 'Ballet',
        price: 30,
        userId: 'seller-1',
        status: 'available',
      });
      throw new Error('price rule broken');
    });

    await expect(attempt).rejects.toThrow('price rule broken');
    expect(await ListingModel.countDocuments()).toBe(0);
    expect(await OutboxModel.countDocuments()).toBe(0);
  });

  it('writes no outbox entry when the work publishes nothing', async () => {
    await withOutbox(async (tx) => {
      await ListingModel.create([{ title: 'Quiet', price: 5, version: 0 }], {
        session: tx.session,
      });
    });

    expect(await ListingModel.countDocuments()).toBe(1);
    expect(await OutboxModel.countDocuments()).toBe(0);
  });
});

describe('serialized', () => {
  it('keeps every plain insert made while transactions on the same collection commit', async () => {
    // The embedded engine drops some plain inserts that overlap a transaction writing the collection
    // (a quarter of them in this pattern without `serialized`).
    const [counter] = await ListingModel.create([{ title: 'Counter', price: 1, version: 0 }]);
    const titles = Array.from({ length: 100 }, (_, i) => `Plain ${i}`);
    await Promise.all(
      titles.map(async (title, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 3));
        await Promise.all([
          withOutbox(({ session }) =>
            ListingModel.updateOne({ _id: counter!._id }, { $inc: { version: 1 } }, { session }),
          ),
          serialized(() => ListingModel.create({ title, price: 2, version: 0 })),
        ]);
      }),
    );
    expect(await ListingModel.countDocuments({ title: { $in: titles } })).toBe(titles.length);
  });
});

describe('OutboxRelay', () => {
  it('publishes pending entries in commit order with Nats-Msg-Id = entry id, then deletes them', async () => {
    const titles = ['First', 'Second', 'Third', 'Fourth'];
    for (const title of titles) await createListing(title);
    const entries = await OutboxModel.find().sort({ _id: 1 }).lean();
    const relay = buildRelay();

    relay.start();
    await waitFor(async () => (await countPendingEvents()) === 0);
    await relay.stop();

    const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
    expect(events.map((e) => e.data.title)).toEqual(titles);
    expect(events.map((e) => e.eventId)).toEqual(entries.map((e) => e._id));
    expect(await OutboxModel.find().lean()).toEqual([]);
  });

  it('publishes right after a commit, without waiting for its next poll', async () => {
    const relay = buildRelay(env.bus, 60_000);
    relay.start();

    const listing = await createListing('Just listed');

    const [event] = await waitFor(() => readEvents(env.bus.jsm).then((e) => e.length > 0 && e));
    await relay.stop();
    expect(event!.data).toMatchObject({ id: listing.id, title: 'Just listed' });
  });

  it('while paused publishes nothing, and on resume publishes the backlog in commit order', async () => {
    const relay = buildRelay(env.bus, 50);
    relay.start();
    relay.pause();

    await createListing('Held 1');
    await createListing('Held 2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await countPendingEvents()).toBe(2);
    expect(await readEvents(env.bus.jsm)).toEqual([]);

    relay.resume();
    await waitFor(async () => (await countPendingEvents()) === 0);
    await relay.stop();
    const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
    expect(events.map((e) => e.data.title)).toEqual(['Held 1', 'Held 2']);
  });

  it('publishes an entry committed while no relay ran (it died between commit and publish) exactly once', async () => {
    await createListing('Orphaned');
    expect(await countPendingEvents()).toBe(1);
    expect(await readEvents(env.bus.jsm)).toEqual([]);
    const [entry] = await OutboxModel.find().lean();
    const restartedRelay = buildRelay();

    restartedRelay.start();
    await waitFor(async () => (await countPendingEvents()) === 0);
    await restartedRelay.stop();

    const events = await readEvents(env.bus.jsm);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventId: entry!._id, data: { title: 'Orphaned' } });
  });

  it('does not publish twice when it died after publishing but before deleting the entry', async () => {
    await createListing('Published once');
    const [entry] = await OutboxModel.find().lean();
    // The state such a crash leaves: the event is in JetStream, the entry still pending.
    const firstAck = await new EventPublisher(env.bus.js).publishRaw(
      entry!.subject,
      entry!.data,
      entry!._id,
    );
    expect(firstAck.duplicate).toBe(false);
    const restartedRelay = buildRelay();

    restartedRelay.start();
    await waitFor(async () => (await countPendingEvents()) === 0);
    await restartedRelay.stop();

    const events = await readEvents(env.bus.jsm);
    expect(events).toHaveLength(1);
    expect(events[0]!.eventId).toBe(entry!._id);
    expect(await OutboxModel.findById(entry!._id).lean()).toBeNull();
  });

  it('flushes every pending entry on stop()', async () => {
    const relay = buildRelay();
    relay.start();
    for (const title of ['A', 'B', 'C']) await createListing(title);
    // Entries another replica committed and never published are flushed too.
    await OutboxModel.create({
      _id: new mongoose.Types.ObjectId().toHexString(),
      subject: Subjects.TicketCreated,
      data: {
        id: 'from-elsewhere',
        version: 0,
        title: 'D',
        price: 1,
        userId: 'u',
        status: 'available',
      },
      createdAt: new Date(),
    });

    await relay.stop();

    expect(await countPendingEvents()).toBe(0);
    const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
    expect(events.map((e) => e.data.title)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('publishes in batches when more entries are pending than one batch holds', async () => {
    for (let i = 0; i < 7; i++) await createListing(`Seat ${i}`);
    const relay = new OutboxRelay(new EventPublisher(env.bus.js), env.ctx.logger, {
      pollIntervalMs: 60_000,
      batchSize: 3,
    });

    const published = await relay.drain();

    expect(published).toBe(7);
    expect(await countPendingEvents()).toBe(0);
    const events = await readEvents(env.bus.jsm, Subjects.TicketCreated);
    expect(events.map((e) => e.data.title)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Seat ${i}`));
  });

  it('stops without throwing when NATS is unreachable, leaving the entries pending', async () => {
    const nats = await startNats();
    const bus = await connectEventBus(nats.url, 'outbox-test', env.ctx.logger);
    await nats.stop();
    // A short publish timeout keeps the test fast; the default is 5 s.
    const relay = new OutboxRelay(
      new EventPublisher(jetstream(bus.nc, { timeout: 300 })),
      env.ctx.logger,
      { pollIntervalMs: 60_000 },
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

  it('publishes, exactly once, what was committed while NATS was unreachable once it is back', async () => {
    const nats = await startNats();
    const port = Number(new URL(nats.url).port);
    const bus = await connectEventBus(nats.url, 'outbox-test', env.ctx.logger);
    // A publish sent while disconnected waits out its timeout (5 s by default); 1 s keeps the test short.
    const relay = new OutboxRelay(
      new EventPublisher(jetstream(bus.nc, { timeout: 1_000 })),
      env.ctx.logger,
      { pollIntervalMs: 100 },
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
