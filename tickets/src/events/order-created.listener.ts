import { Listener, Subjects, type EventData, type ListenerOutcome } from '@ticketing/common';
import { lockTicket } from '../domain/ticket-lifecycle';

/** A hold starts: lock the ticket for the order (ADR 004). An unknown ticket throws: dead-lettered. */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;

  onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<ListenerOutcome> {
    return lockTicket(data);
  }
}
