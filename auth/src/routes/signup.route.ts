/**
 * POST /api/users/signup: stores the user with its user.created and starts a session; the unique
 * email index refuses a second account for one address.
 */
import { Router, type Request, type Response } from 'express';
import { validateBody } from '@ticketing/common';
import type { AuthConfig } from '../config';
import { signUp } from '../domain/accounts';
import { startSession } from './session.cookie';
import { signupBody } from './credentials.schema';

export function signupRouter(config: AuthConfig): Router {
  const router = Router();
  router.post(
    '/api/users/signup',
    validateBody(signupBody),
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      const session = await signUp(email, password);
      startSession(req, session, config);
      res.status(201).json(session.user);
    },
  );
  return router;
}
