/**
 * Tests of the Stripe gateway, and of the whole payment route with STRIPE_KEY set, against a local stub of
 * Stripe's API.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import mongoose from 'mongoose';
import Stripe from 'stripe';
import { ChargeStatus } from '@ticketing/common';
import { buildUser, readEvents, useService, waitFor } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { definePaymentsService } from '../service';
import { Charge } from '../models/charge.model';
import { useStripeStub } from '../test/stripe-stub';
import { buildOrder } from '../test/factories';
import { CardDeclinedError, InvalidTokenError } from './payment-gateway';
import { StripeGateway } from './stripe.gateway';

const stub = useStripeStub();
// The gateway the config names, as in production: Stripe, here at the stub's address (known at start).
const t = useService(definePaymentsService, {
  readConfig,
  env: () => ({ STRIPE_KEY: 'sk_test_payments', STRIPE_API_URL: stub.url }),
});

function gateway(maxNetworkRetries = 0) {
  const { hostname, port } = new URL(stub.url);
  return new StripeGateway({
    apiKey: 'sk_test_gateway',
    host: hostname,
    port: Number(port),
    protocol: 'http',
    maxNetworkRetries,
  });
}

const orderId = () => new mongoose.Types.ObjectId().toHexString();

function chargeRequest(key: string, token = 'tok_visa') {
  return {
    amount: 1234,
    currency: 'usd' as const,
    token,
    idempotencyKey: key,
    description: `Ticketing order ${key}`,
  };
}

describe('StripeGateway against a stub of Stripe', () => {
  it('creates a charge: POST /v1/charges, form-encoded cents, usd, the token as source, the key as bearer, the order id as Idempotency-Key', async () => {
    const key = orderId();

    const result = await gateway().charge(chargeRequest(key));

    expect(result).toEqual({ id: expect.stringMatching(/^ch_stub_\d+$/) });
    expect(stub.requests).toHaveLength(1);
    const [sent] = stub.requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe('/v1/charges');
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.headers['authorization']).toBe('Bearer sk_test_gateway');
    expect(sent!.headers['idempotency-key']).toBe(key);
    expect(sent!.form).toEqual({
      amount: '1234',
      currency: 'usd',
      source: 'tok_visa',
      description: `Ticketing order ${key}`,
    });
  });

  it("turns Stripe's 402 card_declined into a CardDeclinedError", async () => {
    const attempt = gateway().charge(chargeRequest(orderId(), 'tok_chargeDeclined'));

    await expect(attempt).rejects.toBeInstanceOf(CardDeclinedError);
    await expect(attempt).rejects.toMatchObject({ declineCode: 'generic_decline' });
  });

  it("turns Stripe's 'No such token' on the source into an InvalidTokenError", async () => {
    await expect(gateway().charge(chargeRequest(orderId(), 'tok_unknown'))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('passes a server error on as it is: the outcome is unknown, not a decline', async () => {
    stub.replyNext({ status: 500, body: { error: { type: 'api_error', message: 'boom' } } });

    const attempt = gateway().charge(chargeRequest(orderId()));

    await expect(attempt).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
  });

  it('retries a dropped connection under the same idempotency key', async () => {
    const key = orderId();
    stub.replyNext('drop-connection');

    const result = await gateway(1).charge(chargeRequest(key));

    expect(result.id).toMatch(/^ch_stub_/);
    expect(stub.requests.map((r) => r.headers['idempotency-key'])).toEqual([key, key]);
  });

  it('transfers a payout: POST /v1/transfers to the connected account, cents, the payout id as key; a repeat gets the same transfer', async () => {
    const request = {
      amount: 3800,
      currency: 'usd' as const,
      destination: 'acct_1Nv0FGQ9RKHgCVdK',
      idempotencyKey: '6650f0c2a1b2c3d4e5f60718',
      description: 'Ticketing payout for order o1',
    };

    const first = await gateway().transfer(request);
    const again = await gateway().transfer(request);

    expect(first).toEqual({ id: expect.stringMatching(/^tr_stub_/) });
    expect(again).toEqual(first);
    expect(stub.requests.map((r) => [r.path, r.headers['idempotency-key']])).toEqual([
      ['/v1/transfers', request.idempotencyKey],
      ['/v1/transfers', request.idempotencyKey],
    ]);
    expect(stub.requests[0]!.form).toEqual({
      amount: '3800',
      currency: 'usd',
      destination: 'acct_1Nv0FGQ9RKHgCVdK',
      description: 'Ticketing payout for order o1',
    });
  });

  it('refuses a transfer without a destination account before asking Stripe', async () => {
    const attempt = gateway().transfer({
      amount: 100,
      currency: 'usd',
      idempotencyKey: 'k',
      description: 'x',
    });

    await expect(attempt).rejects.toThrow(/destination/);
    expect(stub.requests).toEqual([]);
  });

  it('refunds: POST /v1/refunds with the charge id and its own idempotency key', async () => {
    const key = `refund:${orderId()}`;

    const result = await gateway().refund({ chargeId: 'ch_stub_9', idempotencyKey: key });

    expect(result).toEqual({ id: expect.stringMatching(/^re_stub_/) });
    const [sent] = stub.requests;
    expect(sent!.path).toBe('/v1/refunds');
    expect(sent!.form).toEqual({ charge: 'ch_stub_9' });
    expect(sent!.headers['idempotency-key']).toBe(key);
    expect(sent!.headers['authorization']).toBe('Bearer sk_test_gateway');
  });
});

describe('POST /api/payments with STRIPE_KEY set', () => {
  it('charges through Stripe: the total in integer cents ($12.34 + $2.73 fee → 1507), keyed by the order id', async () => {
    const buyer = buildUser();
    const order = await buildOrder({ userId: buyer.id, price: 12.34 });

    const res = await request(t.url)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_visa' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: ChargeStatus.Completed,
        amount: 1507,
        stripeId: expect.stringMatching(/^ch_stub_/),
      }),
    );
    expect(
      stub.requests.map((r) => [r.path, r.form['amount'], r.headers['idempotency-key']]),
    ).toEqual([['/v1/charges', '1507', order.id]]);
    expect(stub.requests[0]!.headers['authorization']).toBe('Bearer sk_test_payments');
    const [event] = await waitFor(async () => {
      const events = await readEvents(t.bus.jsm, 'charge.succeeded');
      return events.length ? events : null;
    });
    expect(event!.data).toEqual(
      expect.objectContaining({ stripeId: res.body.stripeId, amount: 1507 }),
    );
  });

  it('answers a Stripe decline with 400 and stores the charge as failed', async () => {
    const buyer = buildUser();
    const order = await buildOrder({ userId: buyer.id });

    const res = await request(t.url)
      .post('/api/payments')
      .set('Cookie', buyer.cookie)
      .send({ orderId: order.id, token: 'tok_chargeDeclined' });

    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Your card was declined');
    expect((await Charge.find({ orderId: order.id }).lean()).map((c) => c.status)).toEqual([
      ChargeStatus.Failed,
    ]);
  });
});
