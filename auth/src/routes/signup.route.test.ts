/**
 * POST /api/users/signup: creates the account with a salted hash, sets the session cookie and
 * publishes user.created; an email in use, invalid fields and malformed or oversized bodies are
 * refused.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { publishedEvents, readEvents, waitFor } from '@ticketing/common/testing';
import { User } from '../models/user.model';
import { sessionClaims, sessionCookieOf } from '../test/factories';
import { useAuthService } from '../test/use-auth-service';

const t = useAuthService();

describe('POST /api/users/signup', () => {
  it('creates the account, answers 201 with id and email, and sets an httpOnly lax session cookie', async () => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email: 'ann@example.com' });
    const cookie = res.get('Set-Cookie')?.[0] ?? '';
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect(cookie).not.toMatch(/secure/i);
  });

  it('stores a salted scrypt hash, never the password', async () => {
    await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' })
      .expect(201);
    await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'bob@example.com', password: 'correct horse' })
      .expect(201);

    const users = await User.find().lean();
    expect(users).toHaveLength(2);
    for (const user of users) {
      expect(user.passwordHash).toMatch(
        /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/,
      );
      expect(user.passwordHash).not.toContain('correct horse');
    }
    expect(users[0]!.passwordHash).not.toBe(users[1]!.passwordHash);
  });

  it('publishes user.created to JetStream with the user id, email, version and sessionsValidFrom', async () => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' });

    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm, 'user.created');
      return found.length > 0 ? found : null;
    });
    const stored = (await User.findById(res.body.id).lean())!;
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({
      id: res.body.id,
      email: 'ann@example.com',
      version: 0,
      sessionsValidFrom: stored.sessionsValidFrom.toISOString(),
    });
    expect(events[0]!.eventId).toMatch(/^[0-9a-f]{24}$/);
  });

  it('starts the session at the creation time, from which the user’s sessions are valid', async () => {
    const before = Date.now();

    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' })
      .expect(201);

    const stored = (await User.findById(res.body.id).lean())!;
    expect(stored.sessionsValidFrom.getTime()).toBeGreaterThanOrEqual(before);
    expect(sessionClaims(sessionCookieOf(res)).sat).toBe(stored.sessionsValidFrom.getTime());
    const me = await request(t.url)
      .get('/api/users/currentuser')
      .set('Cookie', sessionCookieOf(res));
    expect(me.body.currentUser).toEqual(expect.objectContaining({ id: res.body.id }));
  });

  it('normalises the email: trimmed and lower-cased', async () => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: '  Ann@Example.COM ', password: 'correct horse' });

    expect(res.status).toBe(201);
    expect(res.body.email).toBe('ann@example.com');
    expect(await User.countDocuments({ email: 'ann@example.com' })).toBe(1);
  });

  it('refuses an email already in use, in any case, with 400 on the email field and no second event', async () => {
    await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' })
      .expect(201);

    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ANN@example.com', password: 'another one' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
    expect(await User.countDocuments()).toBe(1);
    // Once no event is pending, the stream holds everything that will ever be published.
    expect(await publishedEvents(t, 'user.created')).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous sign-ups for one email through', async () => {
    const [a, b] = await Promise.all([
      request(t.url)
        .post('/api/users/signup')
        .send({ email: 'ann@example.com', password: 'correct horse' }),
      request(t.url)
        .post('/api/users/signup')
        .send({ email: 'ann@example.com', password: 'correct horse' }),
    ]);

    expect([a.status, b.status].sort()).toEqual([201, 400]);
    expect(await User.countDocuments()).toBe(1);
  });

  it.each([
    ['a missing email', { password: 'correct horse' }, 'email'],
    ['a malformed email', { email: 'not-an-email', password: 'correct horse' }, 'email'],
    ['an email that is a number', { email: 42, password: 'correct horse' }, 'email'],
    [
      'an email longer than 254 characters',
      { email: `${'a'.repeat(250)}@example.com`, password: 'correct horse' },
      'email',
    ],
    ['a missing password', { email: 'ann@example.com' }, 'password'],
    [
      'a password shorter than 8 characters',
      { email: 'ann@example.com', password: 'short' },
      'password',
    ],
    [
      'a password longer than 128 characters',
      { email: 'ann@example.com', password: 'x'.repeat(129) },
      'password',
    ],
    [
      'a password that is an object',
      { email: 'ann@example.com', password: { $ne: '' } },
      'password',
    ],
    [
      'an email that is a query operator',
      { email: { $gt: '' }, password: 'correct horse' },
      'email',
    ],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const res = await request(t.url).post('/api/users/signup').send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
    );
    expect(await User.countDocuments()).toBe(0);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"ann@example.com"'],
    ['null', 'null'],
    ['malformed JSON', '{"email": '],
  ])('refuses a body that is %s with 400 in the error shape', async (_name, raw) => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .set('Content-Type', 'application/json')
      .send(raw);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [expect.objectContaining({ message: expect.any(String) })],
    });
  });

  it('refuses a body over 16 kB with 413 in the error shape', async () => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse', padding: 'x'.repeat(20_000) });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body is too large' }] });
  });

  it('sends helmet security headers', async () => {
    const res = await request(t.url)
      .post('/api/users/signup')
      .send({ email: 'ann@example.com', password: 'correct horse' });

    expect(res.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.get('Content-Security-Policy')).toBeDefined();
    expect(res.get('X-Powered-By')).toBeUndefined();
  });
});
