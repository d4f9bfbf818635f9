/**
 * charge.refunded → the refund is recorded on the cancelled order.
 */
import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyChargeRefunded } from '../domain/order-use-cases';

export class ChargeRefundedListener extends Listener<typeof Subjects.ChargeRefunded> {
  readonly subject = Subjects.ChargeRefunded;

  onMessage(data: EventData<typeof Subjects.ChargeRefunded>): Promise<void> {
    return applyChargeRefunded(data);
  }
}
