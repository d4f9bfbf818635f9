import mongoose, { type HydratedDocument } from 'mongoose';
import { updateIfCurrentPlugin } from 'mongoose-update-if-current';

export interface UserAttrs {
  email: string;
  passwordHash: string;
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
  },
  {
    timestamps: true,
    toJSON: {
      // The API shows `{ id, email }` and never the password hash.
      transform(_doc, ret: Record<string, unknown>) {
        return { id: String(ret._id), email: ret.email };
      },
    },
  },
);
userSchema.set('versionKey', 'version');
userSchema.plugin(updateIfCurrentPlugin);

export const User = mongoose.model<UserFields>('User', userSchema);
