/**
 * The payments use cases over one gateway, as the route, the order.cancelled listener and the recovery
 * sweep call them: pay an order, resume a pending charge, refund. Each reads as its story; the steps are
 * claim-charge.ts, settle-charge.ts and refund-charge.ts, and every write of a charge is a named one on
 * the Charge model.
 */
import type mongoose from 'mongoose';
import { ChargeStatus, OrderStatus, toCents, type Logger } from '@ticketing/common';
import type { PaymentGateway } from '../gateway';
import type { ChargeRecord } from '../models/charge.model';
import type { OrderReplica } from '../models/order.model';
import { claimPaymentSlot, claimStalledCharge, findActiveCharge } from './claim-charge';
import { NOT_REPLICATED_YET, findOrder, type OrderLookup } from './order-replica';
import type { OrderRefusal, PaymentOutcome } from './payment-outcome';
import { refundCharge, refundOrder } from './refund-charge';
import { settleCharge } from './settle-charge';

/**
 * How long the process that claimed (or resumed) a charge owns its gateway call. Longer than one Stripe
 * request with its network retries (StripeGateway: 15 s timeout, 2 retries), so a live call is not taken
 * over; after it, a charge left `created` by a crash is re-issued by the recovery sweep.
 */
export const CHARGE_LEASE_MS = 60_000;

export interface PaymentProcessorOptions {
  leaseMs?: number;
}

/** A buyer's request to pay an order with a card token. */
export interface PaymentRequest {
  orderId: string;
  buyerId: string;
  token: string;
}

/**
 * Charges orders and refunds them, keeping three promises:
 *
 * - **At most one successful charge per order**, by the database: a charge is first *claimed* with a plain
 *   insert (`active: true`, unique per order), and only the winner calls the gateway.
 * - **No charge with an unknown outcome is forgotten.** The claim stores the token and a lease; if the
 *   process dies or the gateway cannot be reached, the charge stays `created` and is re-issued later with
 *   the same idempotency key and the same card (by the buyer's next attempt or the recovery sweep), so the
 *   processor answers with what it actually did and never charges twice.
 * - **A charge that completes for a cancelled order is refunded exactly once** (see settle-charge.ts).
 */
export class PaymentProcessor {
  private readonly leaseMs: number;

  constructor(
    readonly gateway: PaymentGateway,
    private readonly logger: Logger,
    options: PaymentProcessorOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? CHARGE_LEASE_MS;
  }

  /**
   * Pays an order for its buyer: the order must be in the replica (waiting for it while it may be on its
   * way, see findOrder), be the caller's, not be cancelled, and not have expired. Returns why not, or what
   * happened; throws only when the database fails.
   */
  async payOrder(
    request: PaymentRequest,
    lookup: OrderLookup,
  ): Promise<OrderRefusal | PaymentOutcome> {
    const order = await findOrder(request.orderId, lookup.orderFeedLag, lookup.orderWaitMs);
    if (order === NOT_REPLICATED_YET) return { kind: 'order-on-its-way' };
    if (!order) return { kind: 'order-not-found' };
    if (order.userId !== request.buyerId) return { kind: 'not-the-buyer' };
    if (order.status === OrderStatus.Cancelled) return { kind: 'order-cancelled' };
    // The clock decides, not only the replica: order.cancelled for an expired hold may still be on its way.
    if (order.expiresAt.getTime() <= Date.now()) return { kind: 'order-expired' };
    return this.pay(order, request.token);
  }

  /**
   * Re-issues the gateway call of a pending charge whose lease has run out (same key, same card), and
   * records the answer. Only one caller at a time gets the lease; the others see `in-progress`.
   */
  async resume(charge: ChargeRecord): Promise<PaymentOutcome> {
    const token = await claimStalledCharge(charge, this.leaseMs, this.logger);
    if (token === null) return { kind: 'in-progress' };
    return settleCharge(this.gateway, this.logger, charge, token);
  }

  /** Refunds every charge of this order that is owed a refund (none, or the one that completed). */
  refundOrder(orderId: string): Promise<void> {
    return refundOrder(this.gateway, this.logger, orderId);
  }

  /** Refunds one charge if it is owed a refund and not refunded yet (see refund-charge.ts). */
  refundCharge(chargeId: mongoose.Types.ObjectId): Promise<ChargeRecord | null> {
    return refundCharge(this.gateway, this.logger, chargeId);
  }

  /** Charges an order the caller has checked is the buyer's, open and not expired. */
  private async pay(
    order: Pick<OrderReplica, '_id' | 'amount'>,
    token: string,
  ): Promise<PaymentOutcome> {
    const orderId = String(order._id);
    // A lost claim with no active charge means our attempt number was taken by an attempt that has failed
    // since; counting again gives the next one. A couple of rounds is plenty.
    for (let round = 0; round < 3; round++) {
      const claimed = await claimPaymentSlot(
        orderId,
        toCents(order.amount.total),
        token,
        this.leaseMs,
      );
      if (claimed) return settleCharge(this.gateway, this.logger, claimed, token);
      const active = await findActiveCharge(orderId);
      if (active?.status === ChargeStatus.Completed) return { kind: 'already-paid' };
      if (active?.status === ChargeStatus.Created) {
        // A pending charge nobody is driving (its gateway call failed, or its process died): finish it
        // first, with the card it was made with. Its result is this payment's result.
        if (active.lockedUntil && active.lockedUntil <= new Date()) return this.resume(active);
        return { kind: 'in-progress' };
      }
    }
    return { kind: 'in-progress' };
  }
}
