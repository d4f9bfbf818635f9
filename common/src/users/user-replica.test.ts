/**
 * Ending sessions outside auth: the users replica kept from user.created / user.updated in version order,
 * and `currentUser` refusing a session started before the user's `sessionsValidFrom` — to the millisecond,
 * so a session started in the same second as a password change, but before it, has ended.
 */
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import cookieSession from 'cookie-session';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import request from 'supertest';
import { Subjects } from '../events';
import { currentUser, requireAuth, signSessionToken } from '../middlewares/current-user';
import { publishEvent } from '../testing/events';
import { useTestEnvironment } from '../testing/test-environment';
import { waitFor } from '../testing/wait-for';
import { replicaSessionsValidFrom, userReplicaListeners, userReplicaModel } from './user-replica';

const env = useTestEnvironment('users-test');
const KEY = 'user-replica-test-key';

/** An app that answers 200 with the session's user id, or 401. */
function appWith(cacheMs = 0) {
  const app = express();
  app.use(cookieSession({ signed: false }));
  app.use((req, _res, next) => {
    req.session = { jwt: req.header('x-jwt') };
    next();
  });
  app.use(currentUser(KEY, replicaSessionsValidFrom(cacheMs)));
  app.get('/me', requireAuth, (req, res) => {
    res.json({ id: req.currentUser!.id });
  });
  app.use(((err, _req, res, _next) => {
    res.status(err.statusCode ?? 500).json({});
  }) as express.ErrorRequestHandler);
  return app;
}

const sessionOf = (id: string, startedAt: number) =>
  signSessionToken({ id, email: 'fan@example.com' }, KEY, 3600, startedAt);

describe('the users replica and currentUser', () => {
  it('refuses sessions started before sessionsValidFrom, to the millisecond, and keeps later ones', async () => {
    const id = new mongoose.Types.ObjectId().toHexString();
    const changedAt = Date.parse('2030-01-01T12:00:00.500Z');
    await userReplicaModel().create({
      _id: id,
      version: 1,
      sessionsValidFrom: new Date(changedAt),
    });
    const app = appWith();

    const before = await request(app)
      .get('/me')
      .set('x-jwt', sessionOf(id, changedAt - 1));
    const at = await request(app).get('/me').set('x-jwt', sessionOf(id, changedAt));
    const sameSecondOldToken = await request(app)
      .get('/me')
      .set(
        'x-jwt',
        // A token without `sat` counts from its `iat` (whole seconds): 12:00:00.000 < 12:00:00.500.
        jwt.sign({ id, email: 'x@example.com', iat: Math.floor(changedAt / 1000) }, KEY),
      );

    expect(before.status).toBe(401);
    expect(at.status).toBe(200);
    expect(sameSecondOldToken.status).toBe(401);
  });

  it('lets a user the replica does not know yet keep their session', async () => {
    const id = new mongoose.Types.ObjectId().toHexString();

    const res = await request(appWith()).get('/me').set('x-jwt', sessionOf(id, Date.now()));

    expect(res.status).toBe(200);
  });

  it('applies user.created and user.updated in version order: an update before its creation waits', async () => {
    const listeners = userReplicaListeners(env.ctx, { maxDeliver: 10 });
    for (const listener of listeners) await listener.start();
    const id = new mongoose.Types.ObjectId().toHexString();
    const created = new Date('2030-01-01T00:00:00.000Z').toISOString();
    const changed = new Date('2030-01-02T00:00:00.000Z').toISOString();

    await publishEvent(env, Subjects.UserUpdated, {
      id,
      version: 1,
      email: 'fan@example.com',
      sessionsValidFrom: changed,
    });
    await publishEvent(env, Subjects.UserCreated, {
      id,
      version: 0,
      email: 'fan@example.com',
      sessionsValidFrom: created,
    });

    const replica = await waitFor(async () => {
      const user = await userReplicaModel().findById(id).lean();
      return user?.version === 1 ? user : null;
    }, 15_000);
    expect(replica.sessionsValidFrom.toISOString()).toBe(changed);
    for (const listener of listeners) await listener.stop();
  });
});
