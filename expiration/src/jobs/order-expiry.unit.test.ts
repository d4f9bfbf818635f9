/**
 * orderExpiryOf and delayUntil: the expiry taken from order.created (an id BullMQ cannot key a job
 * by is refused, naming the field) and a delay measured from expiresAt.
 */
import { describe, expect, it } from '@jest/globals';
import { Subjects } from '@ticketing/common';
import { sampleEventData } from '@ticketing/common/testing';
import { delayUntil, orderExpiryOf } from './order-expiry';

/** order.created as orders sends it, with the id and expiry the assertions name. */
const orderCreated = {
  ...sampleEventData(Subjects.OrderCreated),
  id: '64b7f0c2a1b2c3d4e5f60718',
  expiresAt: '2030-01-01T12:15:00.000Z',
};

describe('delayUntil', () => {
  const now = Date.parse('2030-01-01T12:00:00.000Z');

  it('waits until expiresAt, however late the event arrived', () => {
    expect(delayUntil(new Date('2030-01-01T12:15:00.000Z'), now)).toBe(15 * 60 * 1000);
    expect(delayUntil(new Date('2030-01-01T12:00:00.250Z'), now)).toBe(250);
  });

  it('does not wait for an expiresAt already past', () => {
    expect(delayUntil(new Date('2030-01-01T11:59:00.000Z'), now)).toBe(0);
  });
});

describe('orderExpiryOf', () => {
  it('takes the order id, its version and expiresAt from order.created', () => {
    expect(orderExpiryOf(orderCreated)).toEqual({
      orderId: '64b7f0c2a1b2c3d4e5f60718',
      version: 0,
      expiresAt: new Date('2030-01-01T12:15:00.000Z'),
    });
  });

  it.each([
    [
      'a purely numeric id (BullMQ refuses it as a job id)',
      { id: '123456' },
      'id: must be a 24-hex order id',
    ],
    ['an id with a colon', { id: 'order:64b7f0c2a1b2c3d4e5f6' }, 'id: must be a 24-hex order id'],
    ['a short id', { id: '64b7f0c2a1b2' }, 'id: must be a 24-hex order id'],
  ])('refuses %s, naming the field', (_case, bad, problem) => {
    expect(() => orderExpiryOf({ ...orderCreated, ...bad })).toThrow(
      `order.created cannot be scheduled: ${problem}`,
    );
  });
});
