/**
 * All-in prices in the tickets service: GET /api/tickets/quote, and every listing shown with the buyer's
 * fee and total under the configured fee schedule (not only the defaults).
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { buildUser, useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineTicketsService } from '../service';
import { buildEvent, TICKETS_TEST_ENV } from '../test/factories';

const t = useService(defineTicketsService, { readConfig, env: TICKETS_TEST_ENV });

describe('GET /api/tickets/quote', () => {
  it.each([
    ['40', { price: 40, fee: 5.5, total: 45.5, sellerFee: 2, payout: 38 }],
    ['40.00', { price: 40, fee: 5.5, total: 45.5, sellerFee: 2, payout: 38 }],
    ['0.50', { price: 0.5, fee: 1.55, total: 2.05, sellerFee: 0.03, payout: 0.47 }],
    ['19.99', { price: 19.99, fee: 3.5, total: 23.49, sellerFee: 1, payout: 18.99 }],
    [
      '999999.99',
      {
        price: 999_999.99,
        fee: 100_001.5,
        total: 1_100_001.49,
        sellerFee: 50_000,
        payout: 949_999.99,
      },
    ],
  ])('?price=%s → %j, to signed-out visitors too', async (price, quote) => {
    await request(t.url).get(`/api/tickets/quote?price=${price}`).expect(200, quote);
  });

  it.each([
    '',
    'price=',
    'price=abc',
    'price=0.49',
    'price=19.999',
    'price=1000000.01',
    'price=-5',
  ])('?%s → 400 naming price', async (query) => {
    const res = await request(t.url).get(`/api/tickets/quote?${query}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: expect.any(String), field: 'price' }] });
  });
});

describe('a fee schedule other than the defaults', () => {
  it('shows every listing, event and quote with the configured fees', async () => {
    await t.restart({ BUYER_FEE_PERCENT: '12.5', BUYER_FEE_FIXED: '0', SELLER_FEE_PERCENT: '8' });
    const event = await buildEvent();
    const created = await request(t.url)
      .post('/api/tickets')
      .set('Cookie', buildUser().cookie)
      .send({ eventId: String(event._id), price: 10.1 })
      .expect(201);

    // 12.5 % of $10.10 is 126.25 cents: rounded half up to $1.26.
    expect(created.body).toMatchObject({ price: 10.1, fee: 1.26, total: 11.36 });
    const listed = await request(t.url).get('/api/tickets').expect(200);
    expect(listed.body[0]).toMatchObject({ fee: 1.26, total: 11.36 });
    const shown = await request(t.url)
      .get(`/api/events/${String(event._id)}`)
      .expect(200);
    expect(shown.body).toMatchObject({ lowestPrice: 11.36, tickets: [{ total: 11.36 }] });
    await request(t.url)
      .get('/api/tickets/quote?price=10.10')
      .expect(200, { price: 10.1, fee: 1.26, total: 11.36, sellerFee: 0.81, payout: 9.29 });
  });

  it('refuses to start with a fee that is not a percentage', () => {
    expect(() => readConfig({ ...process.env, BUYER_FEE_PERCENT: '150' })).toThrow(
      /BUYER_FEE_PERCENT/,
    );
  });
});
