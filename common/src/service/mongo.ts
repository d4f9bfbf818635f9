/**
 * How every service connects mongoose, with the settings the embedded engine and a real mongod both
 * need (docs/architecture.md, "Known limits of the embedded engine"; ADR 003).
 */
import mongoose from 'mongoose';

/** Mongo settings the embedded engine and real mongod both need (see docs/architecture.md). */
export function configureMongoose(): void {
  // jongodb has no `create` command; with autoCreate on, unique indexes are silently never built.
  mongoose.set('autoCreate', false);
  mongoose.set('strictQuery', true);
}

/** Connects and builds every registered model's indexes before the service accepts traffic. */
export async function connectMongo(uri: string): Promise<void> {
  configureMongoose();
  // Polled monitoring: jongodb breaks the driver's streaming heartbeat ("Server ended moreToCome
  // unexpectedly"), which marks the server Unknown every ~0.5 s and stalls queries for up to 10 s.
  // Polling costs a real mongod nothing that matters for a single-node replica set.
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 15_000,
    serverMonitoringMode: 'poll',
  });
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
}
