/**
 * The orders story (ADR 004). tickets decides holds: it locks the listing for an order placed at
 * the replica's price (the confirming `ticket.updated`) or refuses (`ticket.hold-refused`), and the
 * order is cancelled with the reason. Each use case is one or two idempotent single-document steps;
 * a redelivery re-runs the later ones, so a crash between them loses nothing.
 */
import {
  BadRequestError,
  HoldRefusal,
  NotAuthorizedError,
  NotFoundError,
  OrderStatus,
  Subjects,
  TicketStatus,
  event,
  findAllBy,
  findOneBy,
  insertReplicaOnce,
  isDuplicateKeyError,
  retryOnConflict,
  SEAT_PARTS,
  saveWithEvents,
  priceBreakdown,
  seatOf,
  type EventData,
  type FeeSchedule,
  type ListenerOutcome,
  type UserPayload,
} from '@ticketing/common';
import { CancelReason, Order, type OrderDoc } from '../models/order.model';
import { Ticket } from '../models/ticket.model';
import {
  cancel,
  complete,
  isHoldConfirmed,
  isOpen,
  isPaidAwaitingHold,
  recordPayment,
} from './order-transitions';

/** Reads the order, lets `decide` act on it, and does it again on a fresh read if its write lost a race. */
function changeOrder<T>(orderId: string, decide: (order: OrderDoc | null) => Promise<T>) {
  return retryOnConflict(async () => {
    const stored = await findOneBy(Order, '_id', orderId);
    return decide(stored && Order.hydrate(stored));
  });
}

const ALREADY_RESERVED = 'Ticket is already reserved';

/**
 * What a new order is placed under: how long it holds its ticket, the fees its amount is fixed by, how
 * many open orders a buyer may hold at once, and how long a buyer waits to hold a ticket again after
 * their hold on it ended unpaid.
 */
export interface OrderTerms {
  holdSeconds: number;
  fees: FeeSchedule;
  maxActiveHolds: number;
  reholdCooldownSeconds: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Unpaid endings that start the re-hold cooldown. */
const COOLDOWN_REASONS: readonly CancelReason[] = [
  CancelReason.Expired,
  CancelReason.CancelledByBuyer,
];

/**
 * The buyer's orders the hold rules look at, in one read: the open ones (their hold slots) and those
 * that ended unpaid since `since` (the re-hold cooldown). The reads of buyers ordering at the same
 * moment share one query (common/batching), which needs the same conditions for all of them: `since`
 * is rounded down to the minute, and the cooldown check takes the exact instant.
 */
function holdsOf(buyerId: string, cooldownSeconds: number, now: number) {
  const since = new Date(Math.floor((now - cooldownSeconds * 1000) / 60_000) * 60_000);
  const ended = {
    status: OrderStatus.Cancelled,
    'cancellation.reason': { $in: COOLDOWN_REASONS },
    'cancellation.at': { $gt: since },
  };
  return findAllBy(Order, 'userId', buyerId, {
    where:
      cooldownSeconds > 0
        ? { $or: [{ status: OrderStatus.Created }, ended] }
        : { status: OrderStatus.Created },
    projection: { status: 1, holdSlot: 1, 'ticket.id': 1, cancellation: 1 },
  });
}

type Holds = Awaited<ReturnType<typeof holdsOf>>;

/**
 * OAT-021, denial of inventory: a buyer whose hold on this ticket ended unpaid (expired, or cancelled by
 * them) within the cooldown may not hold it again yet; other buyers may.
 */
function refuseRecentRehold(holds: Holds, ticketId: unknown, cooldownSeconds: number, now: number) {
  let lastEnded = 0;
  for (const order of holds) {
    const at = order.cancellation?.at.getTime() ?? 0;
    if (
      order.status === OrderStatus.Cancelled &&
      String(order.ticket.id) === String(ticketId) &&
      COOLDOWN_REASONS.includes(order.cancellation!.reason) &&
      at > now - cooldownSeconds * 1000
    )
      lastEnded = Math.max(lastEnded, at);
  }
  if (!lastEnded) return;
  const left = Math.ceil((lastEnded + cooldownSeconds * 1000 - now) / 1000);
  throw new BadRequestError(
    `Your hold on this ticket ended recently: you can hold it again in ${plural(left, 'second')}`,
    'ticketId',
  );
}

/** The hold slots (0 … max − 1) the buyer's open orders take. */
function takenHoldSlots(holds: Holds): Set<number> {
  return new Set(
    holds.filter((order) => order.status === OrderStatus.Created).map((order) => order.holdSlot),
  );
}

const holdCapMessage = (max: number) =>
  `You already hold ${plural(max, 'ticket')}: pay for or cancel one first`;

/**
 * A buyer starts a purchase: one insert of the order with its `order.created`. The unique index over
 * orders that hold a ticket decides every race between buyers; the price is the replica's, and tickets
 * refuses the hold if the listing's price has moved on since.
 */
export async function placeOrder(
  buyer: UserPayload,
  ticketId: string,
  terms: OrderTerms,
): Promise<OrderDoc> {
  const { holdSeconds, fees } = terms;
  // Both reads share one query with the other buyers' that arrive meanwhile (common/batching).
  const ticket = await findOneBy(Ticket, '_id', ticketId);
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (ticket.userId === buyer.id)
    throw new BadRequestError('You cannot buy your own ticket', 'ticketId');
  if (ticket.status === TicketStatus.Sold) throw new BadRequestError('Ticket is sold', 'ticketId');
  const now = Date.now();
  if (ticket.event.startsAt.getTime() <= now) {
    throw new BadRequestError('The event has started', 'ticketId');
  }

  // The unique index decides every race; this read only spares the losers an insert the index refuses
  // (on the embedded engine, a refused document sends its whole insert batch one document at a time).
  const holder = await findOneBy(Order, 'ticket.id', ticket._id, {
    where: { holdsTicket: true },
    projection: { _id: 1, 'ticket.id': 1 },
  });
  if (holder) throw new BadRequestError(ALREADY_RESERVED, 'ticketId');
  const holds = () => holdsOf(buyer.id, terms.reholdCooldownSeconds, now);
  const current = await holds();
  refuseRecentRehold(current, ticket._id, terms.reholdCooldownSeconds, now);

  // The hold ends when the event starts, if that comes first: nobody pays for a show under way.
  const expiresAt = new Date(Math.min(now + holdSeconds * 1000, ticket.event.startsAt.getTime()));
  const amount = priceBreakdown(ticket.price, fees);
  // A new document for each slot tried: a refused insert leaves its pending events on the document.
  const orderIn = (holdSlot: number) =>
    new Order({
      userId: buyer.id,
      status: OrderStatus.Created,
      expiresAt,
      amount,
      ticket: {
        id: ticket._id,
        title: ticket.title,
        price: ticket.price,
        event: ticket.event,
        ...seatOf(ticket),
      },
      holdsTicket: true,
      holdSlot,
    });
  return insertHoldingASlot(current, holds, terms.maxActiveHolds, orderIn, (order) => (version) => [
    event(Subjects.OrderCreated, {
      id: order.id as string,
      version,
      status: order.status,
      userId: order.userId,
      expiresAt: expiresAt.toISOString(),
      amount,
      ticket: {
        id: String(ticket._id),
        price: ticket.price,
        title: ticket.title,
        userId: ticket.userId,
        event: {
          id: ticket.event.id,
          name: ticket.event.name,
          startsAt: ticket.event.startsAt.toISOString(),
          timeZone: ticket.event.timeZone,
        },
      },
    }),
  ]);
}

/**
 * Inserts a new order into one of the buyer's free hold slots, with its events. The slot is the order's
 * own field and a unique index over open orders allows each (buyer, slot) once, so the database caps the
 * buyer's open orders under any concurrency, and a crash can never leave a slot counted without its order
 * (or the reverse): the order and its slot are one document. A slot taken meanwhile by the buyer's other
 * order is looked for again; with none free, the order is refused.
 */
async function insertHoldingASlot(
  first: Holds,
  readAgain: () => Promise<Holds>,
  maxActiveHolds: number,
  orderIn: (holdSlot: number) => OrderDoc,
  events: (order: OrderDoc) => Parameters<typeof saveWithEvents>[1],
): Promise<OrderDoc> {
  for (let holds = first; ; holds = await readAgain()) {
    const taken = takenHoldSlots(holds);
    const free = Array.from({ length: maxActiveHolds }, (_, slot) => slot).filter(
      (slot) => !taken.has(slot),
    );
    if (free.length === 0) throw new BadRequestError(holdCapMessage(maxActiveHolds), 'ticketId');
    // A random free slot: the buyer's simultaneous orders rarely pick the same one.
    const order = orderIn(free[Math.floor(Math.random() * free.length)]!);
    try {
      await saveWithEvents(order, events(order));
      return order;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      if (!isHoldSlotConflict(err)) throw new BadRequestError(ALREADY_RESERVED, 'ticketId');
    }
  }
}

/** Whether an E11000 is the hold-slot index's (else it is the one-live-order-per-ticket index's). */
function isHoldSlotConflict(err: unknown): boolean {
  const { keyPattern, message } = err as { keyPattern?: object; message?: string };
  return keyPattern ? 'holdSlot' in keyPattern : /holdSlot/.test(message ?? '');
}

/** The buyer gives up the hold; cancelling a cancelled order again changes nothing and is no error. */
export function cancelOrder(orderId: string, buyerId: string): Promise<void> {
  return changeOrder(orderId, async (order) => {
    if (!order) throw new NotFoundError('Order not found');
    if (order.userId !== buyerId) throw new NotAuthorizedError();
    if (order.status === OrderStatus.Complete)
      throw new BadRequestError('Order is complete and cannot be cancelled');
    await cancel(order, CancelReason.CancelledByBuyer);
  });
}

/**
 * The hold window of this one order is over: cancel it unless it was paid or cancelled already. An order
 * paid in time whose hold is not confirmed yet gets the delivery budget as grace (`retry`); on the last
 * delivery it is cancelled anyway and payments refunds, so no order stays open for good.
 */
export function expireOrder(
  data: EventData<typeof Subjects.OrderExpired>,
  isLastDelivery: boolean,
): Promise<ListenerOutcome> {
  return changeOrder(data.id, async (order) => {
    if (!order) throw new Error(`order.expired for unknown order ${data.id}`);
    if (isPaidAwaitingHold(order) && !isLastDelivery) return 'retry';
    await cancel(order, CancelReason.Expired);
    return 'ack';
  });
}

/** tickets refused the hold: the order is cancelled at once with the reason the buyer sees. */
export function applyHoldRefused(
  data: EventData<typeof Subjects.TicketHoldRefused>,
): Promise<void> {
  const reason =
    data.reason === HoldRefusal.PriceChanged ? CancelReason.PriceChanged : CancelReason.TicketSold;
  return changeOrder(data.id, async (order) => {
    if (!order) throw new Error(`ticket.hold-refused for unknown order ${data.id}`);
    await cancel(order, reason, data.ticket.price);
  });
}

/** The card was declined (`charge.failed`): the order is cancelled, and the ticket goes back on sale. */
export function applyChargeFailed(data: EventData<typeof Subjects.ChargeFailed>): Promise<void> {
  return changeOrder(data.orderId, async (order) => {
    if (!order) throw new Error(`charge.failed for unknown order ${data.orderId}`);
    await cancel(order, CancelReason.PaymentDeclined);
  });
}

/**
 * The card was charged (`charge.succeeded`): the order completes if tickets has confirmed the hold; if
 * not yet, the payment is recorded and the confirmation completes it. The record is written before the
 * confirmation is read again, and `applyTicketUpdate` writes the confirmation before it reads the order:
 * whichever runs second sees both, so a paid, confirmed order always completes. A charge for an order
 * cancelled meanwhile changes nothing here (payments refunds it).
 */
export function applyChargeSucceeded(
  data: EventData<typeof Subjects.ChargeSucceeded>,
): Promise<void> {
  return changeOrder(data.orderId, async (order) => {
    if (!order) throw new Error(`charge.succeeded for unknown order ${data.orderId}`);
    if (!isOpen(order)) return;
    if (!(await isHoldConfirmed(order))) {
      await recordPayment(order, data.id);
      if (!(await isHoldConfirmed(order))) return;
    }
    await complete(order, data.id);
  });
}

/** Records that the money for this (cancelled) order went back to the buyer. Not a version change. */
export async function applyChargeRefunded(
  data: EventData<typeof Subjects.ChargeRefunded>,
): Promise<void> {
  const refund = {
    chargeId: data.id,
    amount: data.amount,
    stripeRefundId: data.stripeRefundId,
    at: new Date(),
  };
  const stored = await Order.updateOne(
    { _id: data.orderId, refund: { $exists: false } },
    { $set: { refund } },
  );
  if (stored.matchedCount === 0 && !(await Order.exists({ _id: data.orderId }))) {
    throw new Error(`charge.refunded for unknown order ${data.orderId}`);
  }
}

/** The replica's fields for a listing as a ticket.* event carries it. */
function replicaOf(data: EventData<typeof Subjects.TicketUpdated>) {
  const { title, price, userId, status, version, orderId, event } = data;
  return {
    title,
    price,
    userId,
    status,
    version,
    event: { ...event, startsAt: new Date(event.startsAt) },
    ...(orderId ? { orderId } : {}),
    ...seatOf(data),
  };
}

/** A new listing joins the replica; a redelivery finds it there and changes nothing. */
export async function applyTicketCreated(
  data: EventData<typeof Subjects.TicketCreated>,
): Promise<void> {
  await insertReplicaOnce(Ticket, data.id, replicaOf(data));
}

/**
 * A listing change, applied to the replica strictly in version order (a gap waits: `retry`). Then the
 * follow-up: if tickets locked the listing for an order that is already paid, that order completes. The
 * follow-up runs on a duplicate too, so a crash between the two steps is finished by the redelivery.
 */
export async function applyTicketUpdate(
  data: EventData<typeof Subjects.TicketUpdated>,
): Promise<ListenerOutcome> {
  const { id, version, orderId } = data;
  const fields = replicaOf(data);
  // What the event no longer has goes from the replica (the engine takes `$unset` of named keys).
  const gone = (['orderId', ...SEAT_PARTS] as const).filter((field) => !(field in fields));
  const applied = await Ticket.updateOne(
    { _id: id, version: version - 1 },
    gone.length
      ? { $set: fields, $unset: Object.fromEntries(gone.map((field) => [field, 1])) }
      : { $set: fields },
  );
  if (applied.matchedCount === 0) {
    const replica = await Ticket.findById(id, { version: 1 }).lean();
    // Missing or further behind: wait for the earlier versions. Otherwise a duplicate.
    if (!replica || replica.version < version) return 'retry';
  }
  if (orderId) await completeIfPaid(orderId, id);
  return 'ack';
}

/** Completes an order paid before tickets confirmed its hold, once the replica shows the lock. */
function completeIfPaid(orderId: string, ticketId: string): Promise<void> {
  return changeOrder(orderId, async (order) => {
    if (!order || !isPaidAwaitingHold(order) || String(order.ticket.id) !== ticketId) return;
    if (await isHoldConfirmed(order)) await complete(order, order.chargeId!);
  });
}
