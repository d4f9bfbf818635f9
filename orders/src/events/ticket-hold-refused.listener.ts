/**
 * ticket.hold-refused → the order is cancelled with the reason tickets gave.
 */
import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyHoldRefused } from '../domain/order-use-cases';

export class TicketHoldRefusedListener extends Listener<typeof Subjects.TicketHoldRefused> {
  readonly subject = Subjects.TicketHoldRefused;

  onMessage(data: EventData<typeof Subjects.TicketHoldRefused>): Promise<void> {
    return applyHoldRefused(data);
  }
}
