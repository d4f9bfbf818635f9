/**
 * The body schemas of auth's routes (sign-up, sign-in, password change): emails normalised, new
 * passwords bounded in length, a sign-in password only checked for presence.
 */
import { z } from 'zod';

export const PASSWORD_MIN = 8;
/** scrypt hashes whatever it is given; a cap keeps one request from costing seconds of CPU. */
export const PASSWORD_MAX = 128;

const EMAIL = 'Email must be a valid email address';
/** Emails are trimmed and lower-cased, so `Ann@X.com ` and `ann@x.com` are one account. */
const emailField = z
  .string({ error: EMAIL })
  .trim()
  .toLowerCase()
  .max(254, 'Email must be at most 254 characters')
  .email(EMAIL);

const PASSWORD_LENGTH = `Password must be between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters`;
const newPasswordField = z
  .string({ error: 'Password must be a string' })
  .min(PASSWORD_MIN, PASSWORD_LENGTH)
  .max(PASSWORD_MAX, PASSWORD_LENGTH);

/** At sign-in only presence is checked: revealing the length rules to a guesser gains nothing. */
const SUPPLY = 'You must supply a password';
const suppliedPasswordField = z.string({ error: SUPPLY }).min(1, SUPPLY).max(PASSWORD_MAX, SUPPLY);

export const signupBody = z.object({ email: emailField, password: newPasswordField });

export const signinBody = z.object({ email: emailField, password: suppliedPasswordField });

export const changePasswordBody = z
  .object({ currentPassword: suppliedPasswordField, newPassword: newPasswordField })
  .refine((body) => body.newPassword !== body.currentPassword, {
    message: 'New password must differ from the current one',
    path: ['newPassword'],
  });
