/**
 * charge.failed → the order is cancelled (the card was declined) and its ticket is free again.
 */
import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyChargeFailed } from '../domain/order-use-cases';

export class ChargeFailedListener extends Listener<typeof Subjects.ChargeFailed> {
  readonly subject = Subjects.ChargeFailed;

  onMessage(data: EventData<typeof Subjects.ChargeFailed>): Promise<void> {
    return applyChargeFailed(data);
  }
}
