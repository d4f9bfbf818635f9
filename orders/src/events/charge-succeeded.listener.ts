/**
 * charge.succeeded → the order completes, or keeps the payment until tickets confirms its hold.
 */
import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyChargeSucceeded } from '../domain/order-use-cases';

export class ChargeSucceededListener extends Listener<typeof Subjects.ChargeSucceeded> {
  readonly subject = Subjects.ChargeSucceeded;

  onMessage(data: EventData<typeof Subjects.ChargeSucceeded>): Promise<void> {
    return applyChargeSucceeded(data);
  }
}
