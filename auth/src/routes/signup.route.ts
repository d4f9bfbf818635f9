/**
 * POST /api/users/signup: stores the user with its user.created and starts a session; the unique
 * email index refuses a second account for one address.
 */
import { Router, type Request, type Response } from 'express';
import {
  BadRequestError,
  Subjects,
  event,
  isDuplicateKeyError,
  saveWithEvents,
  validateBody,
} from '@ticketing/common';
import type { AuthConfig } from '../config';
import { User } from '../models/user.model';
import { hashPassword } from '../domain/password';
import { startSession } from './session.cookie';
import { signupBody } from './credentials.schema';

export function signupRouter(config: AuthConfig): Router {
  const router = Router();
  router.post(
    '/api/users/signup',
    validateBody(signupBody),
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      const passwordHash = await hashPassword(password);
      const user = new User({ email, passwordHash });
      await saveWithEvents(user, (version) => [
        event(Subjects.UserCreated, { id: user.id as string, email: user.email, version }),
      ]).catch((err: unknown) => {
        // The unique index on email decides races between two sign-ups for one address.
        if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
        throw err;
      });
      startSession(req, user, config);
      res.status(201).json(user);
    },
  );
  return router;
}
