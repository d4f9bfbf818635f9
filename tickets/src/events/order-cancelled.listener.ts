/**
 * order.cancelled → the ticket held by that order is unlocked.
 */
import { Listener, Subjects, type EventData, type ListenerOutcome } from '@ticketing/common';
import { unlockTicket } from '../domain/ticket-lifecycle';

/** A hold ended without a sale: unlock the ticket if that order holds it (ADR 004). */
export class OrderCancelledListener extends Listener<typeof Subjects.OrderCancelled> {
  readonly subject = Subjects.OrderCancelled;

  onMessage(data: EventData<typeof Subjects.OrderCancelled>): Promise<ListenerOutcome> {
    return unlockTicket(data);
  }
}
