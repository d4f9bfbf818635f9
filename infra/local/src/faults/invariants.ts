/**
 * The invariants of the fault suite, read from the stored state: each service's own database and the
 * JetStream streams. Each check reports how many things it looked at and every violation it found.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type mongoose from 'mongoose';
import { listDeadLetters, type DeadLetter } from '@ticketing/common';
import { readEvents } from '@ticketing/common/testing';
import { SERVICES_WITH_EVENTS, pendingEvents } from '../pending-events';

export interface InvariantResult {
  name: string;
  checked: number;
  violations: string[];
}

interface StoredOrder {
  _id: mongoose.Types.ObjectId;
  userId: string;
  status: string;
  /** The buyer's hold slot the order takes while open (the hold cap). */
  holdSlot: number;
  expiresAt: Date;
  ticket: { id: mongoose.Types.ObjectId };
  /** Dollars: what the buyer pays, fixed when the hold was placed. */
  amount: { price: number; fee: number; total: number };
}
interface StoredTicket {
  _id: mongoose.Types.ObjectId;
  status: string;
  orderId?: string;
  /** The listing's copy of its event. */
  event?: { startsAt: Date };
}
interface StoredEvent {
  _id: mongoose.Types.ObjectId;
  name: string;
  venue: string;
  city: string;
  startsAt: Date;
}
interface StoredCharge {
  _id: mongoose.Types.ObjectId;
  orderId: string;
  status: string;
  /** Integer cents. */
  amount: number;
  stripeRefundId?: string;
  refundDue?: boolean;
}
interface StoredPayout {
  _id: mongoose.Types.ObjectId;
  orderId: string;
  status: string;
  /** Dollars: the ask, the seller's fee, and what the seller receives. */
  price: number;
  fee: number;
  amount: number;
  availableAt: Date;
  transferId?: string;
}
interface ReplicaOrder {
  _id: mongoose.Types.ObjectId;
  status: string;
}

export interface State {
  orders: StoredOrder[];
  tickets: StoredTicket[];
  /** The tickets service's catalogue. */
  events: StoredEvent[];
  charges: StoredCharge[];
  payouts: StoredPayout[];
  /**
   * The payouts whose payout.paid was in the stream before `payouts` was read. Payouts keep falling due
   * while the suite reads (events start within seconds, PAYOUT_DELAY_HOURS=0): one paid after that read
   * has its event in a later read of the stream and is not a contradiction.
   */
  payoutsPaidBeforeRead: ReadonlySet<string>;
  paymentsOrders: ReplicaOrder[];
  /** Events still carried by each service's entities (the relay removes what JetStream acknowledged). */
  pending: Record<string, number>;
  deadLetters: DeadLetter[];
}

export async function readState(
  db: (service: string) => mongoose.Connection,
  jsm: JetStreamManager,
): Promise<State> {
  const all = <T>(service: string, collection: string) =>
    db(service).collection(collection).find({}).toArray() as unknown as Promise<T[]>;
  const pending: State['pending'] = {};
  for (const service of SERVICES_WITH_EVENTS)
    pending[service] = await pendingEvents(db(service), service);
  const orders = await all<StoredOrder>('orders', 'orders');
  const tickets = await all<StoredTicket>('tickets', 'tickets');
  const events = await all<StoredEvent>('tickets', 'events');
  const charges = await all<StoredCharge>('payments', 'charges');
  const paidBefore = await readEvents(jsm, 'payout.paid');
  return {
    orders,
    tickets,
    events,
    charges,
    payoutsPaidBeforeRead: new Set(paidBefore.map((e) => e.data.id)),
    payouts: await all<StoredPayout>('payments', 'payouts'),
    paymentsOrders: await all<ReplicaOrder>('payments', 'orders'),
    pending,
    deadLetters: await listDeadLetters(jsm),
  };
}

/**
 * A dead letter is explained when ADR 004 documents it: a `charge.succeeded` that orders could
 * not apply within its delivery budget because tickets' lock confirmation was late, after which the hold
 * expired, the order was cancelled and the charge refunded — the buyer got their money back.
 */
export function explainDeadLetter(letter: DeadLetter, state: State): string | null {
  const data = letter.data as { orderId?: string } | null;
  if (letter.service === 'orders' && letter.subject === 'charge.succeeded' && data?.orderId) {
    const order = state.orders.find((o) => String(o._id) === data.orderId);
    const charges = state.charges.filter((c) => c.orderId === data.orderId);
    const settled = charges.every((c) => c.status !== 'completed' || Boolean(c.stripeRefundId));
    if (order?.status === 'cancelled' && settled)
      return 'charge.succeeded not applicable in time (ADR 004); order cancelled, charge refunded';
  }
  return null;
}

export async function checkInvariants(
  state: State,
  jsm: JetStreamManager,
): Promise<InvariantResult[]> {
  const { orders, tickets, charges, paymentsOrders } = state;
  const orderById = new Map(orders.map((o) => [String(o._id), o]));
  const ticketById = new Map(tickets.map((t) => [String(t._id), t]));
  const chargesOf = (orderId: string) => charges.filter((c) => c.orderId === orderId);
  const results: InvariantResult[] = [];
  const check = (name: string, items: number, violations: string[]) =>
    results.push({ name, checked: items, violations });

  const now = Date.now();
  check(
    "no order's hold outlasts its event's start (expiresAt ≤ the event's startsAt)",
    orders.length,
    orders.flatMap((o) => {
      const id = String(o._id);
      const startsAt = ticketById.get(String(o.ticket.id))?.event?.startsAt;
      if (!startsAt) return [`order ${id}: its ticket or the ticket's event is missing in tickets`];
      const over = o.expiresAt.getTime() - startsAt.getTime();
      return over > 0 ? [`order ${id} expires ${over} ms after its event starts`] : [];
    }),
  );
  check(
    'each event stored once (same name, venue, city ignoring case and spaces, and start)',
    state.events.length,
    duplicateEvents(state.events),
  );
  check(
    'every order ends complete or cancelled (none stuck past expiry)',
    orders.length,
    orders
      .filter((o) => o.status !== 'complete' && o.status !== 'cancelled')
      .map(
        (o) =>
          `order ${String(o._id)} is ${o.status}, expired ${Math.round((now - o.expiresAt.getTime()) / 1000)} s ago`,
      ),
  );

  const complete = orders.filter((o) => o.status === 'complete');
  check(
    'complete order: exactly one completed charge, not refunded',
    complete.length,
    complete.flatMap((o) => {
      const id = String(o._id);
      const done = chargesOf(id).filter((c) => c.status === 'completed');
      if (done.length !== 1) return [`order ${id} has ${done.length} completed charges`];
      if (done[0]!.stripeRefundId) return [`order ${id}: its only charge was refunded`];
      return [];
    }),
  );
  check(
    'complete order: its ticket is sold to that order',
    complete.length,
    complete.flatMap((o) => {
      const id = String(o._id);
      const ticket = ticketById.get(String(o.ticket.id));
      if (!ticket) return [`order ${id}: ticket ${String(o.ticket.id)} missing in tickets`];
      if (ticket.status !== 'sold' || ticket.orderId !== id)
        return [`order ${id}: ticket is ${ticket.status} with orderId ${ticket.orderId}`];
      return [];
    }),
  );

  const completeByTicket = new Map<string, string[]>();
  for (const o of complete) {
    const key = String(o.ticket.id);
    completeByTicket.set(key, [...(completeByTicket.get(key) ?? []), String(o._id)]);
  }
  check(
    'no ticket sold twice (≤ 1 complete order; sold ticket.orderId is it)',
    tickets.length,
    tickets.flatMap((t) => {
      const id = String(t._id);
      const sales = completeByTicket.get(id) ?? [];
      if (sales.length > 1) return [`ticket ${id} has complete orders ${sales.join(', ')}`];
      if (t.status === 'sold' && (sales.length !== 1 || t.orderId !== sales[0]))
        return [`ticket ${id} sold to ${t.orderId}, complete orders: [${sales.join(', ')}]`];
      return [];
    }),
  );
  check(
    'no ticket left reserved once every hold ended',
    tickets.length,
    tickets
      .filter((t) => t.status === 'reserved')
      .map(
        (t) =>
          `ticket ${String(t._id)} reserved by ${t.orderId} (${orderById.get(t.orderId ?? '')?.status ?? 'unknown order'})`,
      ),
  );

  const refunded = charges.filter((c) => c.stripeRefundId);
  check(
    'every refunded charge belongs to a cancelled order',
    refunded.length,
    refunded
      .filter((c) => orderById.get(c.orderId)?.status !== 'cancelled')
      .map(
        (c) =>
          `charge ${String(c._id)} refunded, order ${c.orderId} is ${orderById.get(c.orderId)?.status}`,
      ),
  );
  const completed = charges.filter((c) => c.status === 'completed');
  check(
    'every completed charge of a cancelled order is refunded',
    completed.length,
    completed
      .filter((c) => orderById.get(c.orderId)?.status === 'cancelled' && !c.stripeRefundId)
      .map((c) => `charge ${String(c._id)} of cancelled order ${c.orderId} not refunded`),
  );
  check(
    'no charge left in flight (created) or refund owed',
    charges.length,
    charges
      .filter((c) => c.status === 'created' || (c.refundDue && !c.stripeRefundId))
      .map(
        (c) =>
          `charge ${String(c._id)} of order ${c.orderId}: ${c.status}, refundDue ${c.refundDue}`,
      ),
  );
  check(...holdCapInvariant(orders));
  for (const row of payoutInvariants(state, await readEvents(jsm, 'payout.paid'), now))
    check(...row);
  const replica = new Map(paymentsOrders.map((o) => [String(o._id), o]));
  const cancelled = orders.filter((o) => o.status === 'cancelled');
  check(
    'payments knows every cancelled order as cancelled',
    cancelled.length,
    cancelled
      .filter((o) => replica.get(String(o._id))?.status !== 'cancelled')
      .map(
        (o) => `order ${String(o._id)}: payments replica is ${replica.get(String(o._id))?.status}`,
      ),
  );

  const created = await readEvents(jsm, 'order.created');
  const createdCount = new Map<string, number>();
  for (const e of created) createdCount.set(e.data.id, (createdCount.get(e.data.id) ?? 0) + 1);
  check('each order.created stored exactly once (none lost, none doubled)', orders.length, [
    ...orders
      .filter((o) => createdCount.get(String(o._id)) !== 1)
      .map((o) => `order ${String(o._id)}: ${createdCount.get(String(o._id)) ?? 0} order.created`),
    ...[...createdCount.keys()]
      .filter((id) => !orderById.has(id))
      .map((id) => `order.created for unknown order ${id}`),
  ]);
  const completedEvents = await readEvents(jsm, 'order.completed');
  const completedCount = new Map<string, number>();
  for (const e of completedEvents)
    completedCount.set(e.data.id, (completedCount.get(e.data.id) ?? 0) + 1);
  check('each complete order has exactly one order.completed', complete.length, [
    ...complete
      .filter((o) => completedCount.get(String(o._id)) !== 1)
      .map(
        (o) => `order ${String(o._id)}: ${completedCount.get(String(o._id)) ?? 0} order.completed`,
      ),
    ...[...completedCount.keys()]
      .filter((id) => orderById.get(id)?.status !== 'complete')
      .map((id) => `order.completed for order ${id} that is ${orderById.get(id)?.status}`),
  ]);

  // tickets is the authority on holds: it locks the listing for an order (ticket.updated, reserved,
  // orderId) or refuses the hold (ticket.hold-refused), and orders follows it.
  const locked = new Set(
    (await readEvents(jsm, 'ticket.updated'))
      .filter((e) => e.data.status === 'reserved' && e.data.orderId)
      .map((e) => e.data.orderId!),
  );
  const refused = new Set((await readEvents(jsm, 'ticket.hold-refused')).map((e) => e.data.id));
  check('no order ever held a ticket that tickets did not lock for it', orders.length, [
    ...complete
      .filter((o) => !locked.has(String(o._id)))
      .map((o) => `order ${String(o._id)} is complete, but tickets never locked its ticket for it`),
    ...orders
      .filter((o) => refused.has(String(o._id)) && o.status !== 'cancelled')
      .map((o) => `order ${String(o._id)}: tickets refused the hold, yet it is ${o.status}`),
  ]);
  check(
    'no entity is left with pending events once settled',
    Object.keys(state.pending).length,
    Object.entries(state.pending)
      .filter(([, count]) => count > 0)
      .map(([service, count]) => `${service}: ${count} events pending`),
  );
  check(
    'dead-letter stream empty or every entry explained',
    state.deadLetters.length,
    state.deadLetters
      .filter((l) => !explainDeadLetter(l, state))
      .map((l) => `#${l.seq} ${l.service} ${l.subject} after ${l.deliveries}: ${l.error}`),
  );
  return results;
}

const cents = (dollars: number) => Math.round(dollars * 100);

/** The hold cap's default (MAX_ACTIVE_HOLDS), which the fault suite runs with. */
const MAX_ACTIVE_HOLDS = 4;

/**
 * Each buyer's hold count (the slots their open orders take) equals their open orders, and is within the
 * cap: a slot is counted only with an order that holds it, and never twice.
 */
function holdCapInvariant(orders: readonly StoredOrder[]): [string, number, string[]] {
  const slotsOf = new Map<string, number[]>();
  for (const o of orders.filter((order) => order.status === 'created'))
    slotsOf.set(o.userId, [...(slotsOf.get(o.userId) ?? []), o.holdSlot]);
  const buyers = new Set(orders.map((o) => o.userId));
  return [
    "each buyer's hold count equals their open orders (distinct slots, within the cap of 4)",
    buyers.size,
    [...slotsOf].flatMap(([buyer, slots]) => {
      const distinct = new Set(slots);
      if (distinct.size !== slots.length)
        return [`buyer ${buyer}: slots ${slots.join(', ')} repeat`];
      if (slots.some((slot) => !Number.isInteger(slot) || slot < 0 || slot >= MAX_ACTIVE_HOLDS))
        return [`buyer ${buyer}: slots ${slots.join(', ')} outside 0–${MAX_ACTIVE_HOLDS - 1}`];
      return [];
    }),
  ];
}

/**
 * The payout rows, as `check` takes them: one payout per complete order and none for another; each paid
 * at most once (one payout.paid, its transfer recorded) and every due one paid; and the money adds up:
 * per complete order, its charge (cents) = the payout + the buyer's fee + the seller's fee, to the cent.
 */
function payoutInvariants(
  state: State,
  paidEvents: ReadonlyArray<{ data: { id: string; transferId: string } }>,
  now: number,
): Array<[string, number, string[]]> {
  const complete = state.orders.filter((o) => o.status === 'complete');
  const payoutsOf = new Map<string, StoredPayout[]>();
  for (const p of state.payouts) payoutsOf.set(p.orderId, [...(payoutsOf.get(p.orderId) ?? []), p]);
  const statusOf = new Map(state.orders.map((o) => [String(o._id), o.status]));
  const paidOf = new Map<string, string[]>();
  for (const e of paidEvents)
    paidOf.set(e.data.id, [...(paidOf.get(e.data.id) ?? []), e.data.transferId]);
  const chargeOf = (orderId: string) =>
    state.charges.find((c) => c.orderId === orderId && c.status === 'completed');
  return [
    [
      'every complete order has exactly one payout (and no other order has one)',
      complete.length,
      [
        ...complete
          .filter((o) => (payoutsOf.get(String(o._id)) ?? []).length !== 1)
          .map(
            (o) => `order ${String(o._id)}: ${payoutsOf.get(String(o._id))?.length ?? 0} payouts`,
          ),
        ...state.payouts
          .filter((p) => statusOf.get(p.orderId) !== 'complete')
          .map((p) => `payout ${String(p._id)} for order ${p.orderId}, ${statusOf.get(p.orderId)}`),
      ],
    ],
    [
      'no payout is paid twice (one payout.paid, its transfer recorded); every due payout paid',
      state.payouts.length,
      state.payouts.flatMap((p) => {
        const id = String(p._id);
        const paid = paidOf.get(id) ?? [];
        if (paid.length > 1)
          return [`payout ${id}: ${paid.length} payout.paid (${paid.join(', ')})`];
        if (p.status === 'paid' && (paid.length !== 1 || paid[0] !== p.transferId))
          return [`payout ${id} paid with ${p.transferId}, payout.paid: [${paid.join(', ')}]`];
        if (p.status !== 'paid' && paid.length > 0)
          return state.payoutsPaidBeforeRead.has(id)
            ? [`payout ${id} is ${p.status}, yet paid before it was read`]
            : []; // paid after it was read
        if (p.status === 'pending' && p.availableAt.getTime() < now - 1_000)
          return [`payout ${id} due ${p.availableAt.toISOString()} is still pending`];
        return [];
      }),
    ],
    [
      'payouts + fees = charges of complete orders, to the cent',
      complete.length,
      complete.flatMap((o) => {
        const id = String(o._id);
        const charge = chargeOf(id);
        const [payout] = payoutsOf.get(id) ?? [];
        if (!charge || !payout) return []; // counted by the rows above
        const sum = cents(payout.amount) + cents(payout.fee) + cents(o.amount.fee);
        const parts = `payout ${payout.amount} + seller fee ${payout.fee} + buyer fee ${o.amount.fee}`;
        if (charge.amount !== sum) return [`order ${id}: charged ${charge.amount} cents, ${parts}`];
        if (cents(payout.price) !== cents(o.amount.price))
          return [`order ${id}: payout of ask ${payout.price}, order's ask ${o.amount.price}`];
        return [];
      }),
    ],
  ];
}

/** Orders whose hold was cut short to end when their event starts (expiresAt is the start). */
export function heldUntilStart(state: State): number {
  const startOf = new Map(state.tickets.map((t) => [String(t._id), t.event?.startsAt.getTime()]));
  return state.orders.filter((o) => o.expiresAt.getTime() === startOf.get(String(o.ticket.id)))
    .length;
}

/** How the catalogue tells two postings apart: case, composed forms and runs of spaces do not count. */
const sameText = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** One violation per group of stored events that are the same event. */
function duplicateEvents(events: readonly StoredEvent[]): string[] {
  const byIdentity = new Map<string, string[]>();
  for (const e of events) {
    const identity = [e.name, e.venue, e.city].map(sameText).join('|') + e.startsAt.toISOString();
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), String(e._id)]);
  }
  return [...byIdentity.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => `events ${ids.join(', ')} are the same event`);
}

/** `name | checked | violations | holds?` as an aligned text table. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * Why paid orders were refunded: for each, how long after the order tickets' lock confirmation
 * (`ticket.updated` carrying the order id) was stored, against the hold's end. Diagnostic only.
 */
export async function refundTimings(state: State, jsm: JetStreamManager): Promise<string[]> {
  const { state: info } = await jsm.streams.info('TICKETING');
  const lockAt = new Map<string, number>();
  const chargeAt = new Map<string, number>();
  const endAt = new Map<string, number>();
  for (let seq = info.first_seq; seq <= info.last_seq; seq++) {
    const m = await jsm.streams.getMessage('TICKETING', { seq }).catch(() => null);
    if (!m) continue;
    const data = m.json<{ orderId?: string }>();
    const at = m.time.getTime();
    if (m.subject === 'ticket.updated' && data.orderId && !lockAt.has(data.orderId))
      lockAt.set(data.orderId, at);
    if (m.subject === 'charge.succeeded' && data.orderId) chargeAt.set(data.orderId, at);
    const { id } = m.json<{ id?: string }>();
    if ((m.subject === 'order.completed' || m.subject === 'order.cancelled') && id)
      endAt.set(id, at);
  }
  const orderTime = (o: StoredOrder) => o._id.getTimestamp().getTime();
  const lines: string[] = [];
  const describe = (label: string, orders: StoredOrder[]) => {
    const lags = orders
      .map((o) => (lockAt.get(String(o._id)) ?? NaN) - orderTime(o))
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const q = (p: number) =>
      lags.length ? lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] : NaN;
    const noLock = orders.filter((o) => !lockAt.has(String(o._id))).length;
    const chargeVsExpiry = orders
      .map((o) => (chargeAt.get(String(o._id)) ?? NaN) - o.expiresAt.getTime())
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const cq = (p: number) =>
      chargeVsExpiry.length
        ? chargeVsExpiry[Math.min(chargeVsExpiry.length - 1, Math.floor(p * chargeVsExpiry.length))]
        : NaN;
    const lockAfterExpiry = orders.filter(
      (o) => (lockAt.get(String(o._id)) ?? Infinity) > o.expiresAt.getTime(),
    ).length;
    const chargeAfterLock = orders.filter(
      (o) => (chargeAt.get(String(o._id)) ?? 0) > (lockAt.get(String(o._id)) ?? Infinity),
    ).length;
    const ends = orders
      .map((o) => (endAt.get(String(o._id)) ?? NaN) - (chargeAt.get(String(o._id)) ?? NaN))
      .filter((x) => !Number.isNaN(x))
      .sort((a, b) => a - b);
    const eq = (p: number) =>
      ends.length ? ends[Math.min(ends.length - 1, Math.floor(p * ends.length))] : NaN;
    lines.push(
      `${label}: ${orders.length} orders; lock stored after the order: p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms (1 s resolution of the order id); no lock ${noLock}; lock after expiresAt ${lockAfterExpiry}; charge.succeeded after the lock ${chargeAfterLock}; charge.succeeded stored relative to expiresAt: min ${cq(0)} p50 ${cq(0.5)} max ${cq(1)} ms; order.completed/cancelled stored after charge.succeeded: p50 ${eq(0.5)} p90 ${eq(0.9)} max ${eq(1)} ms`,
    );
  };
  const refundedOrders = new Set(
    state.charges.filter((c) => c.stripeRefundId).map((c) => c.orderId),
  );
  describe(
    'complete',
    state.orders.filter((o) => o.status === 'complete'),
  );
  describe(
    'refunded',
    state.orders.filter((o) => refundedOrders.has(String(o._id))),
  );
  return lines;
}
