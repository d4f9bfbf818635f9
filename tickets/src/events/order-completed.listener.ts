/**
 * order.completed → the ticket is sold to that order.
 */
import { Listener, Subjects, type EventData, type ListenerOutcome } from '@ticketing/common';
import { markTicketSold } from '../domain/ticket-lifecycle';

/** The order was paid: its ticket is sold; waits (retry) until that order's lock has been applied. */
export class OrderCompletedListener extends Listener<typeof Subjects.OrderCompleted> {
  readonly subject = Subjects.OrderCompleted;

  onMessage(data: EventData<typeof Subjects.OrderCompleted>): Promise<ListenerOutcome> {
    return markTicketSold(data);
  }
}
