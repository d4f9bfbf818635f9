/**
 * PUT /api/users/password: a signed-in user changes their password by giving the current one; the
 * change bumps the version and publishes user.updated; a wrong current password or invalid input is
 * a 400, a signed-out caller a 401.
 */
import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { readEvents, useService, waitFor } from '@ticketing/common/testing';
import { User } from '../models/user.model';
import { readConfig } from '../config';
import { defineAuthService } from '../service';
import { signup } from '../test/factories';

const t = useService(defineAuthService, { readConfig });

// The failure counter lives in the process, per replica: a fresh process per test keeps one test's
// failed attempts from counting against the next.
beforeEach(() => t.restart());

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

  it('bumps the user version and publishes user.updated after user.created', async () => {
    const ann = await signup(t.url);

    await request(t.url)
      .put('/api/users/password')
      .set('Cookie', ann.cookie)
      .send({ currentPassword: ann.password, newPassword: 'a brand new secret' })
      .expect(200);

    expect((await User.findById(ann.id).lean())!.version).toBe(1);
    const events = await waitFor(async () => {
      const found = await readEvents(t.bus.jsm);
      return found.length === 2 ? found : null;
    });
    expect(events.map((e) => [e.subject, e.data.version])).toEqual([
      ['user.created', 0],
      ['user.updated', 1],
    ]);
    expect(events[1]!.data).toEqual({ id: ann.id, email: ann.email, version: 1 });
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
