/**
 * auth's use cases on accounts: sign-up, sign-in (with its failure limits), a password change and
 * "sign out everywhere" (each ending every session started before it), and the lookup that tells the
 * session middleware when a user's sessions became valid.
 */
import {
  BadRequestError,
  NotAuthorizedError,
  Subjects,
  event,
  findOneBy,
  isDuplicateKeyError,
  retryOnConflict,
  saveWithEvents,
  type SessionsValidFrom,
} from '@ticketing/common';
import { User, toUserEvent, type UserDoc } from '../models/user.model';
import type { CredentialLimits, Refusal } from './failure-limits';
import { hashPassword, timingDummyHash, verifyPassword } from './password';

/** A user and the instant their new session starts (the session cookie's `startedAt`). */
export interface StartedSession {
  user: UserDoc;
  startedAt: number;
}

export type SigninOutcome =
  | ({ outcome: 'signed-in' } & StartedSession)
  | { outcome: 'invalid' }
  | ({ outcome: 'refused' } & Refusal);

export type PasswordChangeOutcome =
  | ({ outcome: 'changed' } & StartedSession)
  | { outcome: 'wrong-password' }
  | ({ outcome: 'refused' } & Refusal);

/** Where an attempt comes from: the client address its failures count against. */
export interface Attempt {
  address: string;
}

/** Stores the user with its user.created; the unique email index refuses a second account (400). */
export async function signUp(email: string, password: string): Promise<StartedSession> {
  const passwordHash = await hashPassword(password);
  const user = new User({ email, passwordHash, sessionsValidFrom: new Date() });
  await saveWithEvents(user, (version) => [
    event(Subjects.UserCreated, toUserEvent(user, version)),
  ]).catch((err: unknown) => {
    // The unique index on email decides races between two sign-ups for one address.
    if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
    throw err;
  });
  return { user, startedAt: user.sessionsValidFrom.getTime() };
}

/**
 * Checks the email and password unless this address and email (or this address) failed too often; an
 * unknown email costs the same work and gets the same answer as a wrong password.
 */
export async function signIn(
  limits: CredentialLimits,
  credentials: { email: string; password: string } & Attempt,
): Promise<SigninOutcome> {
  const { email, password, address } = credentials;
  const refusal = await limits.signinRefusal(address, email);
  if (refusal) return { outcome: 'refused', ...refusal };
  // Taken before the user is read: a password change that this read does not see yet ends the session
  // this sign-in starts with the old password.
  const startedAt = Date.now();
  const user = await User.findOne({ email });
  const matches = await verifyPassword(password, user?.passwordHash ?? (await timingDummyHash));
  if (!user || !matches) {
    await limits.signinFailed(address, email);
    return { outcome: 'invalid' };
  }
  await limits.signinSucceeded(address, email);
  return { outcome: 'signed-in', user, startedAt };
}

/**
 * Checks the current password (failures limited per address and user), then stores the new one's hash
 * and ends every other session, in one write.
 */
export async function changePassword(
  limits: CredentialLimits,
  change: { userId: string; currentPassword: string; newPassword: string } & Attempt,
): Promise<PasswordChangeOutcome> {
  const { userId, address } = change;
  const refusal = await limits.passwordChangeRefusal(address, userId);
  if (refusal) return { outcome: 'refused', ...refusal };
  const existing = await User.findById(userId);
  if (!existing) throw new NotAuthorizedError();
  if (!(await verifyPassword(change.currentPassword, existing.passwordHash))) {
    await limits.passwordChangeFailed(address, userId);
    return { outcome: 'wrong-password' };
  }
  await limits.passwordChangeSucceeded(address, userId);
  const passwordHash = await hashPassword(change.newPassword);
  const session = await restartSessions(userId, (user) => {
    // Another change landed since the check: the password given is no longer the current one.
    if (user.passwordHash !== existing.passwordHash) return false;
    user.passwordHash = passwordHash;
    return true;
  });
  return session ? { outcome: 'changed', ...session } : { outcome: 'wrong-password' };
}

/** "Sign out everywhere": every session of the user started before now ends, except the new one. */
export async function signOutEverywhere(userId: string): Promise<StartedSession> {
  return (await restartSessions(userId, () => true))!;
}

/**
 * One version-guarded write with its user.updated: `change` (unless it declines, false: no write, null),
 * and `sessionsValidFrom` moved to now, which is also when the caller's new session starts, so it alone
 * outlives the write. Always later than the previous value, so two writes in one millisecond still end
 * the first one's session.
 */
async function restartSessions(
  userId: string,
  change: (user: UserDoc) => boolean,
): Promise<StartedSession | null> {
  return retryOnConflict(async () => {
    const user = await User.findById(userId);
    if (!user) throw new NotAuthorizedError();
    if (!change(user)) return null;
    const previous = user.sessionsValidFrom?.getTime() ?? 0;
    user.sessionsValidFrom = new Date(Math.max(Date.now(), previous + 1));
    await saveWithEvents(user, (version) => [
      event(Subjects.UserUpdated, toUserEvent(user, version)),
    ]);
    return { user, startedAt: user.sessionsValidFrom.getTime() };
  });
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * When `userId`'s sessions became valid, read from auth's own users on every signed-in request (no cache:
 * a session must end the moment its password changes); concurrent requests share one query.
 */
export const sessionsValidFrom: SessionsValidFrom = async (userId) => {
  // Only auth signs session ids, so another shape is no user of ours (and no query).
  if (!OBJECT_ID.test(userId)) return null;
  const user = await findOneBy(User, '_id', userId, { projection: { sessionsValidFrom: 1 } });
  return user?.sessionsValidFrom ?? null;
};
