import { Listener, Subjects, type EventData } from '@ticketing/common';
import { applyCharge } from '../domain/order-use-cases';

export class ChargeCreatedListener extends Listener<typeof Subjects.ChargeCreated> {
  readonly subject = Subjects.ChargeCreated;

  onMessage(data: EventData<typeof Subjects.ChargeCreated>): Promise<void> {
    return applyCharge(data);
  }
}
