/**
 * parseEventData: an event as its producer writes it is accepted; a bad field is refused with a
 * reason that names it, as is a payload that is not an object.
 */
import { describe, expect, it } from '@jest/globals';
import { sampleEventData } from '../testing/malformed-events';
import { parseEventData } from './schemas';
import { Subjects } from './subjects';

/** order.created as orders sends it, with the id and expiry the assertions name. */
const orderCreated = {
  ...sampleEventData(Subjects.OrderCreated),
  id: '64b7f0c2a1b2c3d4e5f60718',
  expiresAt: '2030-01-01T12:15:00.000Z',
};

describe('parseEventData', () => {
  it('accepts an event as its producer writes it', () => {
    expect(parseEventData(Subjects.OrderCreated, orderCreated)).toEqual({
      ok: true,
      data: orderCreated,
    });
  });

  it.each([
    ['an expiresAt that is not an ISO instant', { expiresAt: 'in 15 minutes' }, 'expiresAt: '],
    ['a fractional version', { version: 0.5 }, 'version: '],
    [
      'a price with fractions of a cent',
      { ticket: { ...orderCreated.ticket, price: 20.005 } },
      'ticket.price: ',
    ],
    [
      'a total with fractions of a cent',
      { amount: { ...orderCreated.amount, total: 23.505 } },
      'amount.total: ',
    ],
    ['no amount', { amount: undefined }, 'amount: '],
    ['a status no order has', { status: 'paid' }, 'status: '],
    ['no ticket', { ticket: undefined }, 'ticket: '],
    [
      'a ticket without its seller',
      { ticket: { ...orderCreated.ticket, userId: '' } },
      'ticket.userId: ',
    ],
  ])('refuses %s, naming the field', (_case, bad, problem) => {
    const parsed = parseEventData(Subjects.OrderCreated, { ...orderCreated, ...bad });

    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(
      `payload is not a valid order.created: ${problem}`,
    );
  });

  it('refuses a payload that is not an object', () => {
    expect(parseEventData(Subjects.OrderExpired, 'order-1')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^payload is not a valid order\.expired: \(payload\): /),
    });
  });
});
