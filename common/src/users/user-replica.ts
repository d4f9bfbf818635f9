/**
 * The users replica a service keeps to end sessions (issue 14): for each user, when their sessions became
 * valid (a password change, or "sign out everywhere"), kept from user.created / user.updated in version
 * order; and the lookup `currentUser` asks on every signed-in request.
 */
import mongoose, { type Model } from 'mongoose';
import { Subjects, type EventData } from '../events';
import {
  Listener,
  type ListenerContext,
  type ListenerOptions,
  type ListenerOutcome,
} from '../nats';
import { findOneBy } from '../batching';
import { insertReplicaOnce } from '../pending-events';
import type { SessionsValidFrom } from '../middlewares/current-user';

export interface UserReplica {
  _id: mongoose.Types.ObjectId;
  /** auth's version of the user, copied from events. */
  version: number;
  sessionsValidFrom: Date;
}

const userReplicaSchema = new mongoose.Schema<UserReplica>(
  {
    version: { type: Number, required: true },
    sessionsValidFrom: { type: Date, required: true },
  },
  { versionKey: false },
);

/**
 * The replica's model (collection `users` of the service's own database), made on first use: only the
 * services that keep the replica register it (auth's own `users` are the source, not a replica).
 */
export function userReplicaModel(): Model<UserReplica> {
  return (
    (mongoose.models.UserReplica as Model<UserReplica> | undefined) ??
    mongoose.model<UserReplica>('UserReplica', userReplicaSchema, 'users')
  );
}

/** user.created: the replica gets the user (a redelivery finds it there and changes nothing). */
class UserCreatedListener extends Listener<typeof Subjects.UserCreated> {
  readonly subject = Subjects.UserCreated;

  async onMessage(data: EventData<typeof Subjects.UserCreated>): Promise<void> {
    await insertReplicaOnce(userReplicaModel(), data.id, {
      version: data.version,
      sessionsValidFrom: new Date(data.sessionsValidFrom),
    });
  }
}

/** user.updated: applied as the next version only; a missing or earlier replica waits (redelivered). */
class UserUpdatedListener extends Listener<typeof Subjects.UserUpdated> {
  readonly subject = Subjects.UserUpdated;

  async onMessage(data: EventData<typeof Subjects.UserUpdated>): Promise<ListenerOutcome> {
    const Users = userReplicaModel();
    const applied = await Users.updateOne(
      { _id: data.id, version: data.version - 1 },
      { $set: { version: data.version, sessionsValidFrom: new Date(data.sessionsValidFrom) } },
    );
    if (applied.matchedCount === 0) {
      const replica = await Users.findById(data.id, { version: 1 }).lean();
      if (!replica || replica.version < data.version) return 'retry';
    }
    return 'ack';
  }
}

/** The two listeners that keep the users replica, for a service's `listeners`. */
export function userReplicaListeners(ctx: ListenerContext, options?: ListenerOptions) {
  return [new UserCreatedListener(ctx, options), new UserUpdatedListener(ctx, options)];
}

/**
 * How long a user's `sessionsValidFrom` is reused from memory: every signed-in request would otherwise read
 * it. A password change reaches the replica in tens of milliseconds, so sessions still end within a second.
 */
export const SESSIONS_CACHE_MS = 250;

/**
 * The lookup `currentUser` takes (createServiceApp's `sessionsValidFrom`), over the replica, each user's
 * answer kept `cacheMs`; concurrent lookups of one user share one read. A user the replica does not know
 * yet (their user.created still on its way) has no limit: their sessions are all new.
 */
export function replicaSessionsValidFrom(cacheMs = SESSIONS_CACHE_MS): SessionsValidFrom {
  const cache = new Map<string, { at: number; answer: Promise<Date | null> }>();
  return (userId) => {
    const now = Date.now();
    const cached = cache.get(userId);
    if (cached && now - cached.at < cacheMs) return cached.answer;
    if (cache.size > 10_000) cache.clear();
    // Requests of different users arriving together share one query (common/batching).
    const answer = mongoose.isValidObjectId(userId)
      ? findOneBy(userReplicaModel(), '_id', userId, { projection: { sessionsValidFrom: 1 } }).then(
          (user) => user?.sessionsValidFrom ?? null,
        )
      : Promise.resolve(null);
    cache.set(userId, { at: now, answer });
    // A failed read is not remembered.
    answer.catch(() => cache.delete(userId));
    return answer;
  };
}
