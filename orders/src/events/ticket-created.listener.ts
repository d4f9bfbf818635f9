/**
 * ticket.created → the listing joins orders' replica.
 */
import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyTicketCreated } from '../domain/order-use-cases';

export class TicketCreatedListener extends Listener<typeof Subjects.TicketCreated> {
  readonly subject = Subjects.TicketCreated;

  onMessage(data: EventData<typeof Subjects.TicketCreated>): Promise<void> {
    return applyTicketCreated(data);
  }
}
