/**
 * The write-path baseline: `POST /api/tickets` as the course designs it — parse the JSON body, one
 * `insertOne` of the listing, no transaction, no event — in plain Express 5, in its own process, on an
 * embedded engine of its own (started by the bench, `BENCH_MONGO_URI`). No session cookie is checked:
 * the seller is `BENCH_USER_ID`. The listing's event (`BENCH_EVENT`, as `POST /api/events` answered it)
 * is known from the start, so no request reads it; the document stored is the one the tickets service
 * stores for the same body (tickets/src/models/ticket.model.ts): its default title, the event's copy, the
 * seat, and what the `city` filter and the `q` search compare.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import type { CatalogEventJson, SeatInfo } from '@ticketing/common';

const uri = process.env.BENCH_MONGO_URI;
if (!uri) throw new Error('BENCH_MONGO_URI is required');
if (!process.env.BENCH_EVENT) throw new Error('BENCH_EVENT is required');
const event = JSON.parse(process.env.BENCH_EVENT) as CatalogEventJson;
const userId = process.env.BENCH_USER_ID ?? 'bench-seller';

/** How the tickets service compares text (its domain/search-text.ts). */
const normalizeText = (text: string) =>
  text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** The service's default title: the event's name and the seat. */
function defaultTitle({ section, row, seat }: SeatInfo): string {
  const parts = [
    section && `Section ${section}`,
    row && `Row ${row}`,
    seat && `Seat ${seat}`,
  ].filter(Boolean);
  return parts.length ? `${event.name} — ${parts.join(', ')}` : event.name;
}

async function main(): Promise<void> {
  // The services' own connection options (common/src/service/mongo.ts).
  await mongoose.connect(uri!, { serverSelectionTimeoutMS: 15_000, serverMonitoringMode: 'poll' });
  const tickets = mongoose.connection.db!.collection('tickets');
  const { id: eventId, ...shown } = event;
  const listedEvent = { ...shown, startsAt: new Date(event.startsAt) };
  const app = express();
  app.use(express.json());
  app.post('/api/tickets', async (req, res) => {
    const { price, section, row, seat } = req.body as SeatInfo & { price: number };
    const title = defaultTitle({ section, row, seat });
    const now = new Date();
    // The document the tickets service stores (its TicketStatus.Available, version key `version`).
    const ticket = {
      title,
      price,
      userId,
      status: 'available',
      eventId,
      event: listedEvent,
      section,
      row,
      seat,
      cityKey: normalizeText(event.city),
      search: normalizeText([event.name, event.venue, event.city, title].join(' ')),
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    const { insertedId } = await tickets.insertOne(ticket);
    res.status(201).json({
      id: String(insertedId),
      title,
      price,
      userId,
      status: 'available',
      eventId,
      event,
      section,
      row,
      seat,
      version: 0,
      createdAt: now,
    });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
  });
}

// main.ts's stopChild sends 'stop' while the channel is open (else it waits 30 s, then kills).
process.on('message', (message) => {
  if (message === 'stop') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
main().catch((err: Error) => {
  process.send?.({ type: 'failed', message: err.message });
  process.exit(1);
});
