/**
 * Settling a claimed charge: one gateway call under the attempt's idempotency key, and its answer recorded
 * on the charge — completed (and refunded at once if the order was cancelled meanwhile), failed, or left
 * pending when the outcome is unknown.
 */
import { OrderStatus, type Logger } from '@ticketing/common';
import {
  CardDeclinedError,
  InvalidTokenError,
  chargeIdempotencyKey,
  type PaymentGateway,
} from '../gateway';
import {
  Charge,
  FailureReason,
  changeCharge,
  completeCharge,
  failCharge,
  releaseChargeLease,
  type ChargeRecord,
} from '../models/charge.model';
import { Order, type OrderReplica } from '../models/order.model';
import { outcomeOf, type PaymentOutcome } from './payment-outcome';
import { refundCharge } from './refund-charge';

/** Calls the gateway for a charge this process has claimed, with `token`, and records the answer. */
export async function settleCharge(
  gateway: PaymentGateway,
  logger: Logger,
  charge: ChargeRecord,
  token: string,
): Promise<PaymentOutcome> {
  let stripeId: string;
  try {
    ({ id: stripeId } = await gateway.charge({
      amount: charge.amount,
      currency: charge.currency,
      token,
      idempotencyKey: chargeIdempotencyKey(charge.orderId, charge.attempt),
      description: `Ticketing order ${charge.orderId}`,
    }));
  } catch (err) {
    if (err instanceof CardDeclinedError) return recordFailed(charge, FailureReason.CardDeclined);
    if (err instanceof InvalidTokenError) return recordFailed(charge, FailureReason.InvalidToken);
    // The request may or may not have reached the processor. Calling it failed could hide money taken;
    // starting a new attempt (new key) could take it twice. So the charge stays pending, and its lease is
    // released now so that the buyer's next attempt re-issues exactly this request.
    logger.warn(
      { err, chargeId: String(charge._id), orderId: charge.orderId },
      'payment gateway failed; outcome unknown, the charge stays pending',
    );
    await releaseChargeLease(charge._id);
    return { kind: 'unavailable', charge };
  }
  return recordCompleted(gateway, logger, charge, stripeId);
}

/**
 * Records a successful charge and its `charge.succeeded`, in two idempotent steps, each one
 * atomic single-document write. If the order was cancelled meanwhile (its `order.cancelled` was handled
 * while the gateway call was in flight), the charge is owed a refund, and refunded right after.
 *
 * Why no refund is missed: step one writes this charge's id into the order replica and reads, in the
 * same write, whether the replica is cancelled; the order.cancelled listener writes "cancelled" into the
 * replica and then reads its charge id. Whichever writes second sees the other's fact, and marks the
 * charge `refundDue` (this step, or the listener). `refundDue` is stored before the gateway is asked, so
 * a crash before the refund is recorded leaves it owed, and the sweep pays it.
 */
async function recordCompleted(
  gateway: PaymentGateway,
  logger: Logger,
  charge: ChargeRecord,
  stripeId: string,
): Promise<PaymentOutcome> {
  const chargeId = String(charge._id);
  const orderCancelled = await noteChargeOnOrder(charge.orderId, chargeId);
  // Recorded already by another process re-issuing the same request: its record stands.
  let record =
    (await changeCharge(charge._id, (doc) => completeCharge(doc, stripeId, orderCancelled))) ??
    disappeared(chargeId);
  // The order.cancelled listener may have marked it owed between our two steps.
  if (!record.refundDue)
    record = (await Charge.findById(charge._id).lean<ChargeRecord>()) ?? record;
  if (record.refundDue) {
    logger.warn(
      { chargeId, orderId: record.orderId },
      'charge completed for a cancelled order; refunding it',
    );
    const refunded = await refundCharge(gateway, logger, record._id).catch((err: unknown) => {
      // Still owed (refundDue stays set): the order.cancelled redelivery or the sweep refunds it.
      logger.error({ err, chargeId }, 'refund failed; will retry');
      return null;
    });
    return { kind: 'refunded', charge: refunded ?? record };
  }
  return outcomeOf(record);
}

/**
 * Records a definite failure (see `failCharge`): a decline is announced and cancels the order; an
 * unusable token is stored (its attempt number stays used, as Stripe may have stored that answer under
 * its key) but not announced, so the order stays payable.
 */
async function recordFailed(charge: ChargeRecord, reason: FailureReason): Promise<PaymentOutcome> {
  const record =
    (await changeCharge(charge._id, (doc) => failCharge(doc, reason))) ??
    disappeared(String(charge._id));
  return outcomeOf(record);
}

/** Writes the charge id into the order replica; answers, from that same write, whether it is cancelled. */
async function noteChargeOnOrder(orderId: string, chargeId: string): Promise<boolean> {
  const replica = await Order.findOneAndUpdate(
    { _id: orderId },
    { $set: { chargeId } },
    { new: true, projection: { status: 1 } },
  ).lean<Pick<OrderReplica, '_id' | 'status'>>();
  return replica?.status === OrderStatus.Cancelled;
}

function disappeared(chargeId: string): never {
  throw new Error(`charge ${chargeId} disappeared`);
}
