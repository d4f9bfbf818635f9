/** Counts the events each service's entities still carry unpublished (for tests and the fault suite). */
import type mongoose from 'mongoose';

/**
 * The collections whose documents carry their own pending events (ADR 005), per service: what the
 * relay has not yet had acknowledged by JetStream lives there, and nowhere else.
 */
export const ENTITY_COLLECTIONS: Record<string, string[]> = {
  auth: ['users'],
  tickets: ['tickets'],
  orders: ['orders'],
  payments: ['charges'],
};

export const SERVICES_WITH_EVENTS = Object.keys(ENTITY_COLLECTIONS);

/** Events still pending in `service`'s entities (0: everything it wrote reached JetStream). */
export async function pendingEvents(db: mongoose.Connection, service: string): Promise<number> {
  let count = 0;
  for (const name of ENTITY_COLLECTIONS[service] ?? []) {
    const docs = await db
      .collection(name)
      .find({ pendingEvents: { $exists: true, $ne: {} } }, { projection: { pendingEvents: 1 } })
      .toArray();
    for (const doc of docs) count += Object.keys((doc.pendingEvents ?? {}) as object).length;
  }
  return count;
}
