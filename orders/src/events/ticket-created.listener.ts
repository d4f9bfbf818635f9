import { Listener, Subjects, serialized, type EventData } from '@ticketing/common';
import { Ticket } from '../models/ticket.model';

/**
 * Adds a new listing to the replica; a redelivery finds it there and changes nothing.
 *
 * The insert is queued behind this process's transactions (`serialized`): the embedded engine (jongodb)
 * silently drops a plain insert of a document that a concurrent transaction tried to update and
 * did not find — exactly what the ticket.updated listener does when ticket.updated arrives first — and
 * the replica would wait forever for a version 0 it had lost (found by the fault suite).
 */
export class TicketCreatedListener extends Listener<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;

  async onMessage(data: EventData<typeof Subjects.TicketCreated>): Promise<void> {
    const { id, title, price, userId, status, version, orderId } = data;
    try {
      await serialized(() =>
        Ticket.updateOne(
          { _id: id },
          {
            $setOnInsert: {
              title,
              price,
              userId,
              status,
              version,
              ...(orderId ? { orderId } : {}),
            },
          },
          { upsert: true },
        ),
      );
    } catch (err) {
      // Two deliveries raced to insert: the other one won, which is the same outcome.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}
