/**
 * What a payment request came to: refused before any charge (`OrderRefusal`), or what became of the
 * charge (`PaymentOutcome`), and the outcome a stored charge stands for. The route turns each kind into
 * its HTTP answer in one switch.
 */
import { ChargeStatus } from '@ticketing/common';
import { FailureReason, type ChargeRecord } from '../models/charge.model';

/** Why an order cannot be paid now; checked in this order, before any charge is claimed. */
export type OrderRefusal =
  /** Not in the replica while order.created events are still pending: it may be on its way. */
  | { kind: 'order-on-its-way' }
  | { kind: 'order-not-found' }
  | { kind: 'not-the-buyer' }
  | { kind: 'order-cancelled' }
  | { kind: 'order-expired' };

/** What became of a payment. */
export type PaymentOutcome =
  | { kind: 'completed'; charge: ChargeRecord }
  /** The charge went through after the order had been cancelled: the money is (being) given back. */
  | { kind: 'refunded'; charge: ChargeRecord }
  | { kind: 'declined'; charge: ChargeRecord }
  | { kind: 'invalid-token'; charge: ChargeRecord }
  /** The gateway could not be reached: outcome unknown, the charge stays pending and is re-issued later. */
  | { kind: 'unavailable'; charge: ChargeRecord }
  | { kind: 'already-paid' }
  | { kind: 'in-progress' };

/** The outcome a stored charge stands for. */
export function outcomeOf(charge: ChargeRecord): PaymentOutcome {
  switch (charge.status) {
    case ChargeStatus.Completed:
      return charge.refundDue || charge.stripeRefundId
        ? { kind: 'refunded', charge }
        : { kind: 'completed', charge };
    case ChargeStatus.Failed:
      return charge.failureReason === FailureReason.InvalidToken
        ? { kind: 'invalid-token', charge }
        : { kind: 'declined', charge };
    default:
      return { kind: 'in-progress' };
  }
}
