/**
 * order.created → the ticket is locked for the order, or the hold is refused.
 */
import {
  EventPublisher,
  Listener,
  Subjects,
  type EventData,
  type ListenerOutcome,
} from '@ticketing/common';
import { lockTicket } from '../domain/ticket-lifecycle';

/**
 * A hold starts: lock the ticket for the order, or refuse the hold (ADR 004). An unknown ticket throws:
 * dead-lettered.
 */
export class OrderCreatedListener extends Listener<typeof Subjects.OrderCreated> {
  readonly subject = Subjects.OrderCreated;
  private readonly publisher = new EventPublisher(this.ctx.bus.js);

  onMessage(data: EventData<typeof Subjects.OrderCreated>): Promise<ListenerOutcome> {
    return lockTicket(data, this.publisher);
  }
}
