/**
 * The auth user: a unique email, a password hash and when their sessions became valid, versioned,
 * carrying its user.* events until they are published; its JSON never shows the hash.
 */
import mongoose, { type HydratedDocument } from 'mongoose';
import { VERSIONED, pendingEventsPlugin, type EventData, type Subjects } from '@ticketing/common';

export interface UserAttrs {
  email: string;
  passwordHash: string;
  /**
   * Sessions started before this instant have ended (sign-up, then each password change or "sign out
   * everywhere" moves it to now); every service refuses them.
   */
  sessionsValidFrom: Date;
}

export interface UserFields extends UserAttrs {
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type UserDoc = HydratedDocument<UserFields>;

const userSchema = new mongoose.Schema<UserFields>(
  {
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    sessionsValidFrom: { type: Date, required: true },
  },
  {
    // Every save is conditioned on the version read and bumps it: concurrent writers cannot both win.
    ...VERSIONED,
    timestamps: true,
    toJSON: {
      // The API shows `{ id, email }` and never the password hash.
      transform(_doc, ret: Record<string, unknown>) {
        return { id: String(ret._id), email: ret.email };
      },
    },
  },
);

// The user carries its own events until they are published (ADR 005).
userSchema.plugin(pendingEventsPlugin);

export const User = mongoose.model<UserFields>('User', userSchema);

/** What user.created and user.updated carry: the user as it is stored at `version`. */
export function toUserEvent(
  user: UserDoc,
  version: number,
): EventData<typeof Subjects.UserCreated | typeof Subjects.UserUpdated> {
  return {
    id: user.id as string,
    version,
    email: user.email,
    sessionsValidFrom: user.sessionsValidFrom.toISOString(),
  };
}
