import { Listener, Subjects, type EventData } from '@ticketing/common';
import { Ticket } from '../models/ticket.model';

/** Adds a new listing to the replica; a redelivery finds it there and changes nothing. */
export class TicketCreatedListener extends Listener<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;

  async onMessage(data: EventData<typeof Subjects.TicketCreated>): Promise<void> {
    const { id, title, price, userId, status, version, orderId } = data;
    try {
      await Ticket.updateOne(
        { _id: id },
        {
          $setOnInsert: { title, price, userId, status, version, ...(orderId ? { orderId } : {}) },
        },
        { upsert: true },
      );
    } catch (err) {
      // Two deliveries raced to insert: the other one won, which is the same outcome.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}
