/**
 * One schema per event: what a listener checks before its handler sees the payload (the listener
 * base class). A payload that does not match is dead-lettered with the reason and never
 * half-applied. Fields an event does not define are dropped, so a newer producer's additions reach
 * no handler unchecked.
 */
import { z } from 'zod';
import { isValidPrice, toCents } from '../middlewares/validators';
import type { EventData, EventSubject } from './events';
import { HoldRefusal } from './events';
import { EventCategory, OrderStatus, Subjects, TicketStatus } from './subjects';

const id = z.string().min(1);
const version = z.number().int().min(0);
const versioned = { id, version };
const price = z.custom<number>(isValidPrice, { message: 'not a price in dollars' });
const cents = z.number().int().min(0);
/** Dollars with at most 2 decimals, not bounded like an ask (a total includes the fees). */
const dollars = z
  .number()
  .min(0)
  .refine((value) => Math.abs(toCents(value) - value * 100) < 1e-6, {
    message: 'not an amount in dollars',
  });

const userData = z.object({
  ...versioned,
  email: z.string().min(1),
  sessionsValidFrom: z.iso.datetime({ offset: true }),
});
const seatPart = z.string().min(1).optional();
const eventSummary = z.object({
  id,
  name: z.string().min(1),
  venue: z.string().min(1),
  city: z.string().min(1),
  category: z.enum(EventCategory),
  startsAt: z.iso.datetime({ offset: true }),
  timeZone: z.string().min(1),
});
const payoutData = { ...versioned, orderId: id, ticketId: id, userId: id, amount: dollars };
const ticketData = z.object({
  ...versioned,
  title: z.string().min(1),
  price,
  userId: id,
  status: z.enum(TicketStatus),
  orderId: id.optional(),
  eventId: id,
  event: eventSummary,
  section: seatPart,
  row: seatPart,
  seat: seatPart,
});

export const EVENT_SCHEMAS: { [S in EventSubject]: z.ZodType<EventData<S>> } = {
  [Subjects.UserCreated]: userData,
  [Subjects.UserUpdated]: userData,
  [Subjects.TicketCreated]: ticketData,
  [Subjects.TicketUpdated]: ticketData,
  [Subjects.TicketHoldRefused]: z.object({
    ...versioned,
    ticket: z.object({ id, price }),
    reason: z.enum(HoldRefusal),
  }),
  [Subjects.OrderCreated]: z.object({
    ...versioned,
    status: z.enum(OrderStatus),
    userId: id,
    expiresAt: z.iso.datetime({ offset: true }),
    amount: z.object({ price, fee: dollars, total: dollars }),
    ticket: z.object({
      id,
      price,
      title: z.string().min(1),
      userId: id,
      event: eventSummary.pick({ id: true, name: true, startsAt: true, timeZone: true }),
    }),
  }),
  [Subjects.OrderCancelled]: z.object({ ...versioned, ticket: z.object({ id }) }),
  [Subjects.OrderExpired]: z.object(versioned),
  [Subjects.OrderCompleted]: z.object({ ...versioned, ticket: z.object({ id }) }),
  [Subjects.ChargeSucceeded]: z.object({
    ...versioned,
    orderId: id,
    amount: cents,
    stripeId: z.string().optional(),
  }),
  [Subjects.ChargeFailed]: z.object({
    ...versioned,
    orderId: id,
    amount: cents,
    reason: z.literal('card_declined'),
  }),
  [Subjects.ChargeRefunded]: z.object({
    ...versioned,
    orderId: id,
    amount: cents,
    stripeRefundId: z.string().min(1),
  }),
  [Subjects.PayoutCreated]: z.object({
    ...payoutData,
    availableAt: z.iso.datetime({ offset: true }),
  }),
  [Subjects.PayoutPaid]: z.object({ ...payoutData, transferId: z.string().min(1) }),
};

/** Checks `payload` against `subject`'s schema: the event's data, or why it is not one. */
export function parseEventData<S extends EventSubject>(
  subject: S,
  payload: unknown,
): { ok: true; data: EventData<S> } | { ok: false; reason: string } {
  const schema: z.ZodType<EventData<S>> = EVENT_SCHEMAS[subject];
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(payload)'}: ${issue.message}`,
  );
  return { ok: false, reason: `payload is not a valid ${subject}: ${issues.join('; ')}` };
}
