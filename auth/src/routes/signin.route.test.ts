/**
 * POST /api/users/signin, POST /api/users/signout and GET /api/users/currentuser: the right
 * credentials get a session cookie (a client that fails too often gets 429), sign-out clears it,
 * and only an untampered cookie names a user.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useService } from '@ticketing/common/testing';
import { readConfig } from '../config';
import { defineAuthService } from '../service';
import { signup } from '../test/factories';

const t = useService(defineAuthService, { readConfig, env: { SIGNIN_MAX_FAILURES: '5' } });

// The failure counter lives in the process, per replica: a fresh process per test keeps one test's
// failed sign-ins from counting against the next.
beforeEach(() => t.restart());

describe('POST /api/users/signin', () => {
  it('signs in with the right password: 200, the user, and a session cookie', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: ann.password });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ann.id, email: ann.email });
    expect(res.get('Set-Cookie')?.[0]).toMatch(
      /^session=.+; path=\/; expires=.+; samesite=lax; httponly$/i,
    );
  });

  it('accepts the email in another case and with spaces', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .post('/api/users/signin')
      .send({ email: ' ANN@example.com', password: ann.password });

    expect(res.status).toBe(200);
  });

  it('refuses a wrong password with 400 "Invalid credentials" and no cookie', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: 'wrong password' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
    expect(res.get('Set-Cookie')).toBeUndefined();
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const res = await request(t.url)
      .post('/api/users/signin')
      .send({ email: 'nobody@example.com', password: 'whatever1' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
  });

  it.each([
    ['an operator as email', { email: { $gt: '' }, password: 'correct horse' }],
    ['an operator as password', { email: 'ann@example.com', password: { $gt: '' } }],
    ['a regex as email', { email: { $regex: '.*' }, password: 'correct horse' }],
    ['a missing password', { email: 'ann@example.com' }],
    ['an empty body', {}],
  ])('refuses %s with 400 and signs nobody in', async (_name, body) => {
    await signup(t.url);

    const res = await request(t.url).post('/api/users/signin').send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(res.get('Set-Cookie')).toBeUndefined();
  });

  it('answers 429 once one client has failed too often, even with the right password, while others still sign in', async () => {
    const ann = await signup(t.url);
    const attacker = '203.0.113.7';
    for (let i = 0; i < 5; i++) {
      await request(t.url)
        .post('/api/users/signin')
        .set('X-Forwarded-For', attacker)
        .send({ email: ann.email, password: 'wrong password' })
        .expect(400);
    }

    const blocked = await request(t.url)
      .post('/api/users/signin')
      .set('X-Forwarded-For', attacker)
      .send({ email: ann.email, password: ann.password });
    const other = await request(t.url)
      .post('/api/users/signin')
      .set('X-Forwarded-For', '198.51.100.2')
      .send({ email: ann.email, password: ann.password });

    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual({
      errors: [{ message: 'Too many failed attempts, try again later' }],
    });
    expect(other.status).toBe(200);
  });
});

describe('POST /api/users/signout', () => {
  it('clears the session cookie and answers 200 {}', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url).post('/api/users/signout').set('Cookie', ann.cookie).send({});

    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(res.get('Set-Cookie')?.[0]).toMatch(
      /^session=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT/i,
    );
  });
});

describe('GET /api/users/currentuser', () => {
  it('returns the signed-in user for a valid session cookie', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url).get('/api/users/currentuser').set('Cookie', ann.cookie);

    expect(res.status).toBe(200);
    expect(res.body.currentUser).toEqual(expect.objectContaining({ id: ann.id, email: ann.email }));
  });

  it('returns null without a cookie', async () => {
    const res = await request(t.url).get('/api/users/currentuser');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ currentUser: null });
  });

  it('returns null for a cookie whose token was tampered with', async () => {
    const ann = await signup(t.url);
    const session = JSON.parse(
      Buffer.from(ann.cookie.slice('session='.length), 'base64').toString(),
    );
    const [header, payload, signature] = (session.jwt as string).split('.');
    const forged = JSON.stringify({
      ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
      email: 'admin@example.com',
    });
    const tampered = `${header}.${Buffer.from(forged).toString('base64url')}.${signature}`;
    const cookie = `session=${Buffer.from(JSON.stringify({ jwt: tampered })).toString('base64')}`;

    const res = await request(t.url).get('/api/users/currentuser').set('Cookie', cookie);

    expect(res.body).toEqual({ currentUser: null });
  });

  it('returns null for a garbage cookie instead of failing', async () => {
    const res = await request(t.url)
      .get('/api/users/currentuser')
      .set('Cookie', 'session=%%%not-base64');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ currentUser: null });
  });
});
