/**
 * POST /api/users/signout-everywhere: ends every session of the signed-in user, on every device, and
 * gives the caller a new one, in one version-guarded write with its user.updated; the password stays.
 */
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { publishedEvents } from '@ticketing/common/testing';
import { User } from '../models/user.model';
import { sessionClaims, sessionCookieOf, signup } from '../test/factories';
import { useAuthService } from '../test/use-auth-service';

const t = useAuthService();

function signoutEverywhere(cookie?: string) {
  const req = request(t.url).post('/api/users/signout-everywhere');
  return cookie ? req.set('Cookie', cookie) : req;
}

function currentUser(cookie: string) {
  return request(t.url).get('/api/users/currentuser').set('Cookie', cookie);
}

describe('POST /api/users/signout-everywhere', () => {
  it('answers 200 with the user and a new session cookie started when the others ended', async () => {
    const ann = await signup(t.url);

    const res = await signoutEverywhere(ann.cookie).send({});

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ann.id, email: ann.email });
    const stored = (await User.findById(ann.id).lean())!;
    expect(sessionClaims(sessionCookieOf(res)).sat).toBe(stored.sessionsValidFrom.getTime());
  });

  it('ends every earlier session of the user at once and keeps the caller signed in', async () => {
    const ann = await signup(t.url);
    const otherDevice = sessionCookieOf(
      await request(t.url)
        .post('/api/users/signin')
        .send({ email: ann.email, password: ann.password })
        .expect(200),
    );

    const res = await signoutEverywhere(ann.cookie);

    const fresh = sessionCookieOf(res);
    for (const old of [ann.cookie, otherDevice]) {
      expect((await currentUser(old)).body).toEqual({ currentUser: null });
      await request(t.url)
        .put('/api/users/password')
        .set('Cookie', old)
        .send({ currentPassword: ann.password, newPassword: 'a brand new secret' })
        .expect(401);
    }
    expect((await currentUser(fresh)).body.currentUser).toEqual(
      expect.objectContaining({ id: ann.id, email: ann.email }),
    );
  });

  it("leaves other users' sessions and the password as they were", async () => {
    const ann = await signup(t.url);
    const bob = await signup(t.url, 'bob@example.com');

    await signoutEverywhere(ann.cookie).expect(200);

    expect((await currentUser(bob.cookie)).body.currentUser).toEqual(
      expect.objectContaining({ id: bob.id }),
    );
    await request(t.url)
      .post('/api/users/signin')
      .send({ email: ann.email, password: ann.password })
      .expect(200);
  });

  it('bumps the version and publishes user.updated with the new sessionsValidFrom', async () => {
    const ann = await signup(t.url);

    await signoutEverywhere(ann.cookie).expect(200);

    const stored = (await User.findById(ann.id).lean())!;
    expect(stored.version).toBe(1);
    const updated = await publishedEvents(t, 'user.updated');
    expect(updated.map((e) => e.data)).toEqual([
      {
        id: ann.id,
        email: ann.email,
        version: 1,
        sessionsValidFrom: stored.sessionsValidFrom.toISOString(),
      },
    ]);
  });

  it('refuses a signed-out caller with 401', async () => {
    const res = await signoutEverywhere();

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });
});
