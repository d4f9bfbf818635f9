/**
 * Refunds: giving back the money of a completed charge that is owed it (`refundDue`: its order was
 * cancelled), exactly once, and recording it with `charge.refunded`.
 */
import type mongoose from 'mongoose';
import type { Logger } from '@ticketing/common';
import { refundIdempotencyKey, type PaymentGateway } from '../gateway';
import {
  Charge,
  changeCharge,
  markChargeRefunded,
  type ChargeRecord,
} from '../models/charge.model';

/** Refunds every charge of this order that is owed a refund (none, or the one that completed). */
export async function refundOrder(
  gateway: PaymentGateway,
  logger: Logger,
  orderId: string,
): Promise<void> {
  const owed = await Charge.find({ orderId, refundDue: true }, { _id: 1 }).lean();
  for (const { _id } of owed) await refundCharge(gateway, logger, _id);
}

/**
 * Gives the money of a completed charge back, if it is owed (`refundDue`) and not refunded yet, and
 * records it with `charge.refunded`. Safe to run twice, or from two places at once: the processor sees
 * one refund per order (idempotency key `refund:<orderId>`), and the record step stores the first answer
 * only, so there is exactly one `stripeRefundId` and one `charge.refunded`.
 */
export async function refundCharge(
  gateway: PaymentGateway,
  logger: Logger,
  chargeId: mongoose.Types.ObjectId,
): Promise<ChargeRecord | null> {
  const charge = await Charge.findById(chargeId).lean<ChargeRecord>();
  if (!charge?.refundDue || charge.stripeRefundId) return charge;
  if (!charge.stripeId)
    throw new Error(`charge ${String(chargeId)} is owed a refund but has no stripeId`);
  const refund = await gateway.refund({
    chargeId: charge.stripeId,
    idempotencyKey: refundIdempotencyKey(charge.orderId),
  });
  return changeCharge(chargeId, async (doc) => {
    if (!(await markChargeRefunded(doc, refund.id))) return;
    logger.info(
      { chargeId: doc.id, orderId: doc.orderId, stripeRefundId: refund.id },
      'charge refunded: its order was cancelled',
    );
  });
}
