/**
 * PUT /api/users/password: a signed-in user changes their password by giving the current one; the
 * change ends every session started before it (the caller gets a new one), bumps the version and
 * publishes user.updated; a wrong current password or invalid input is a 400, wrong current passwords
 * from one address are limited (429), a signed-out caller is a 401.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { publishedEvents } from '@ticketing/common/testing';
import { User } from '../models/user.model';
import { cookieStartedAt, sessionClaims, sessionCookieOf, signup } from '../test/factories';
import { useAuthService } from '../test/use-auth-service';

const t = useAuthService();

const NEW_PASSWORD = 'a brand new secret';

function changePassword(cookie: string, currentPassword: string, newPassword = NEW_PASSWORD) {
  return request(t.url)
    .put('/api/users/password')
    .set('Cookie', cookie)
    .send({ currentPassword, newPassword });
}

function currentUser(cookie: string) {
  return request(t.url).get('/api/users/currentuser').set('Cookie', cookie);
}

describe('PUT /api/users/password', () => {
  it('changes the password: the new one signs in, the old one no longer does', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .put('/api/users/password')
      .set('Cookie', ann.cookie)
      .send({ currentPassword: ann.password, newPassword: 'a brand new secret' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ann.id, email: ann.email });
    await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: 'a brand new secret' })
      .expect(200);
    await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: ann.password })
      .expect(400);
  });

  it('bumps the user version and publishes user.updated with the new sessionsValidFrom', async () => {
    const ann = await signup(t.url);

    await changePassword(ann.cookie, ann.password).expect(200);

    const stored = (await User.findById(ann.id).lean())!;
    expect(stored.version).toBe(1);
    const events = await publishedEvents(t);
    expect(events.map((e) => [e.subject, e.data.version])).toEqual([
      ['user.created', 0],
      ['user.updated', 1],
    ]);
    expect(events[1]!.data).toEqual({
      id: ann.id,
      email: ann.email,
      version: 1,
      sessionsValidFrom: stored.sessionsValidFrom.toISOString(),
    });
    const [created] = await publishedEvents(t, 'user.created');
    expect(stored.sessionsValidFrom.getTime()).toBeGreaterThan(
      new Date(created!.data.sessionsValidFrom).getTime(),
    );
  });

  it('ends every session started before the change, at once, and keeps the caller signed in', async () => {
    const ann = await signup(t.url);
    const otherDevice = sessionCookieOf(
      await request(t.url)
        .post('/api/users/signin')
        .send({ email: ann.email, password: ann.password })
        .expect(200),
    );

    const res = await changePassword(ann.cookie, ann.password);

    expect(res.status).toBe(200);
    const fresh = sessionCookieOf(res);
    for (const old of [ann.cookie, otherDevice]) {
      expect((await currentUser(old)).body).toEqual({ currentUser: null });
      await changePassword(old, NEW_PASSWORD, 'yet another secret').expect(401);
    }
    expect((await currentUser(fresh)).body.currentUser).toEqual(
      expect.objectContaining({ id: ann.id, email: ann.email }),
    );
    await changePassword(fresh, NEW_PASSWORD, 'yet another secret').expect(200);
  });

  it('ends a session started a millisecond before the change, even within the same second', async () => {
    const ann = await signup(t.url);

    const res = await changePassword(ann.cookie, ann.password);

    const validFrom = (await User.findById(ann.id).lean())!.sessionsValidFrom.getTime();
    expect(sessionClaims(sessionCookieOf(res)).sat).toBe(validFrom);
    const user = { id: ann.id, email: ann.email };
    expect((await currentUser(cookieStartedAt(user, validFrom - 1))).body).toEqual({
      currentUser: null,
    });
    expect((await currentUser(cookieStartedAt(user, validFrom))).body.currentUser).toEqual(
      expect.objectContaining({ id: ann.id }),
    );
  });

  it('gives a sign-in with the new password a session that is not ended', async () => {
    const ann = await signup(t.url);
    await changePassword(ann.cookie, ann.password).expect(200);

    const signin = await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: NEW_PASSWORD })
      .expect(200);

    expect((await currentUser(sessionCookieOf(signin))).body.currentUser).toEqual(
      expect.objectContaining({ id: ann.id }),
    );
  });

  it('refuses a wrong current password with 400 on currentPassword and keeps the old one', async () => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .put('/api/users/password')
      .set('Cookie', ann.cookie)
      .send({ currentPassword: 'not my password', newPassword: 'a brand new secret' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Current password is incorrect', field: 'currentPassword' }],
    });
    await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: ann.password })
      .expect(200);
  });

  it('refuses a 6th attempt after 5 wrong current passwords with 429 and Retry-After', async () => {
    const ann = await signup(t.url);
    for (let i = 0; i < 5; i++) await changePassword(ann.cookie, 'not my password').expect(400);

    const res = await changePassword(ann.cookie, ann.password);

    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      errors: [{ message: 'Too many failed attempts, try again later' }],
    });
    expect(Number(res.get('Retry-After'))).toBeGreaterThan(0);
    expect((await User.findById(ann.id).lean())!.version).toBe(0);
  });

  it('refuses a signed-out caller with 401', async () => {
    const res = await request(t.url)
      .put('/api/users/password')
      .send({ currentPassword: 'x', newPassword: 'a brand new secret' });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it.each([
    ['a short new password', { newPassword: 'short' }, 'newPassword'],
    ['a new password equal to the current one', { newPassword: 'correct horse' }, 'newPassword'],
    ['a missing current password', { currentPassword: undefined }, 'currentPassword'],
    ['an operator as current password', { currentPassword: { $ne: '' } }, 'currentPassword'],
  ])('refuses %s with 400', async (_name, override, field) => {
    const ann = await signup(t.url);

    const res = await request(t.url)
      .put('/api/users/password')
      .set('Cookie', ann.cookie)
      .send({ currentPassword: ann.password, newPassword: 'a brand new secret', ...override });

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});
