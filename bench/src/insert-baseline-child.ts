/**
 * The write-path baseline: `POST /api/tickets` as the course designs it — parse the JSON body, one
 * `insertOne` of the listing, no transaction, no event — in plain Express 5, in its own process, on an
 * embedded engine of its own (started by the bench, `BENCH_MONGO_URI`). No session cookie is checked:
 * the seller is `BENCH_USER_ID`.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';

const uri = process.env.BENCH_MONGO_URI;
if (!uri) throw new Error('BENCH_MONGO_URI is required');
const userId = process.env.BENCH_USER_ID ?? 'bench-seller';

async function main(): Promise<void> {
  // The services' own connection options (common/src/service/mongo.ts).
  await mongoose.connect(uri!, { serverSelectionTimeoutMS: 15_000, serverMonitoringMode: 'poll' });
  const tickets = mongoose.connection.db!.collection('tickets');
  const app = express();
  app.use(express.json());
  app.post('/api/tickets', async (req, res) => {
    const { title, price } = req.body as { title: string; price: number };
    const now = new Date();
    // The document the tickets service stores (its TicketStatus.Available, version key `version`).
    const ticket = {
      title,
      price,
      userId,
      status: 'available',
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
      version: 0,
      status: 'available',
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
