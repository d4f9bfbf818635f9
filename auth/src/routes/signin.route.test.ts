/**
 * POST /api/users/signin, POST /api/users/signout and GET /api/users/currentuser: the right
 * credentials get a session cookie, failed sign-ins are limited in Redis for every replica (per
 * address and email, and per address), sign-out clears the cookie, and only an untampered cookie
 * names a user.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { freePort } from '@ticketing/common/engines';
import { signup } from '../test/factories';
import { useAuthService } from '../test/use-auth-service';

const t = useAuthService();

const ATTACKER = '203.0.113.7';
const TOO_MANY = { errors: [{ message: 'Too many failed sign-ins, try again later' }] };

/** One sign-in from `address` (as the gateway or ingress forwards it). */
function signinFrom(address: string, email: string, password: string) {
  return request(t.url)
    .post('/api/users/signin')
    .set('X-Forwarded-For', address)
    .send({ email, password });
}

/** `count` wrong passwords for `email` from `address`, one after another, each refused with 400. */
async function failSignins(address: string, email: string, count: number) {
  for (let i = 0; i < count; i++) await signinFrom(address, email, 'wrong password').expect(400);
}

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
});

describe('POST /api/users/signin failure limits', () => {
  it('signs in 50 simultaneous right passwords from one address: only failures count', async () => {
    const ann = await signup(t.url);

    const responses = await Promise.all(
      Array.from({ length: 50 }, () => signinFrom(ATTACKER, ann.email, ann.password)),
    );

    expect(responses.map((res) => res.status)).toEqual(Array(50).fill(200));
  });

  it('refuses the 6th attempt after 5 wrong passwords with 429 and Retry-After, even the right password', async () => {
    const ann = await signup(t.url);
    await failSignins(ATTACKER, ann.email, 5);

    const blocked = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual(TOO_MANY);
    expect(Number(blocked.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(blocked.get('Retry-After'))).toBeLessThanOrEqual(900);
    expect(blocked.get('Set-Cookie')).toBeUndefined();
  });

  it('still signs in another email from that address, and that email from another address', async () => {
    const ann = await signup(t.url);
    const bob = await signup(t.url, 'bob@example.com');
    await failSignins(ATTACKER, ann.email, 5);

    const otherEmail = await signinFrom(ATTACKER, bob.email, bob.password);
    const otherAddress = await signinFrom('198.51.100.2', ann.email, ann.password);

    expect(otherEmail.status).toBe(200);
    expect(otherAddress.status).toBe(200);
  });

  it('counts the email case-insensitively', async () => {
    const ann = await signup(t.url);
    await failSignins(ATTACKER, 'ANN@example.com', 5);

    const res = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(res.status).toBe(429);
  });

  it('clears the address and email count on a right password', async () => {
    const ann = await signup(t.url);
    await failSignins(ATTACKER, ann.email, 4);
    await signinFrom(ATTACKER, ann.email, ann.password).expect(200);
    await failSignins(ATTACKER, ann.email, 4);

    const res = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(res.status).toBe(200);
  });

  it('counts failures in Redis, for every replica: a new process goes on from the count', async () => {
    const ann = await signup(t.url);
    await failSignins(ATTACKER, ann.email, 3);

    // A new process (another replica, or this one restarted) keeps nothing of the first in memory.
    await t.restart();
    await failSignins(ATTACKER, ann.email, 2);
    const res = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(res.status).toBe(429);
  });

  it('refuses an address with 100 failures over different emails, for a new email too', async () => {
    const bob = await signup(t.url, 'bob@example.com');
    // Ten at a time, each email failing once: no address-and-email limit is reached.
    for (let batch = 0; batch < 10; batch++) {
      const failed = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          signinFrom(ATTACKER, `guess${batch * 10 + i}@example.com`, 'wrong password'),
        ),
      );
      expect(failed.map((res) => res.status)).toEqual(Array(10).fill(400));
    }

    const blocked = await signinFrom(ATTACKER, bob.email, bob.password);
    const elsewhere = await signinFrom('198.51.100.2', bob.email, bob.password);

    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual(TOO_MANY);
    expect(Number(blocked.get('Retry-After'))).toBeGreaterThan(0);
    expect(elsewhere.status).toBe(200);
    // 100 scrypt checks: seconds on a busy 2-core machine.
  }, 60_000);

  it('does not count invalid input as a failed sign-in', async () => {
    const ann = await signup(t.url);
    for (let i = 0; i < 6; i++) {
      await signinFrom(ATTACKER, ann.email, '').expect(400);
    }

    const res = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(res.status).toBe(200);
  });
});

describe('POST /api/users/signin while Redis is unreachable', () => {
  // Back on this file's Redis for the tests after these.
  afterEach(() => t.restart());

  it('still signs in, and limits failures in memory', async () => {
    await t.restart({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const ann = await signup(t.url);

    await signinFrom(ATTACKER, ann.email, ann.password).expect(200);
    await failSignins(ATTACKER, ann.email, 5);
    const blocked = await signinFrom(ATTACKER, ann.email, ann.password);

    expect(blocked.status).toBe(429);
    expect(Number(blocked.get('Retry-After'))).toBeGreaterThan(0);
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
