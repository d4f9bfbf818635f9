/**
 * ticket.updated → the listing replica changes in version order, and a paid order whose hold it
 * confirms completes.
 */
import { Listener, Subjects, type EventData, type ListenerOutcome } from '@ticketing/common';
import { applyTicketUpdate } from '../domain/order-use-cases';

export class TicketUpdatedListener extends Listener<typeof Subjects.TicketUpdated> {
  readonly subject = Subjects.TicketUpdated;

  onMessage(data: EventData<typeof Subjects.TicketUpdated>): Promise<ListenerOutcome> {
    return applyTicketUpdate(data);
  }
}
