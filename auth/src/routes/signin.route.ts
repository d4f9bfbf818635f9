/**
 * POST /api/users/signin: checks the email and password and starts a session; an unknown email and
 * a wrong password get the same answer in the same time.
 */
import { Router, type Request, type Response, type RequestHandler } from 'express';
import { BadRequestError, validateBody } from '@ticketing/common';
import type { AuthConfig } from '../config';
import { User } from '../models/user.model';
import { timingDummyHash, verifyPassword } from '../domain/password';
import { startSession } from './session.cookie';
import { signinBody } from './credentials.schema';

export function signinRouter(config: AuthConfig, limitFailures: RequestHandler): Router {
  const router = Router();
  router.post(
    '/api/users/signin',
    limitFailures,
    validateBody(signinBody),
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      const user = await User.findOne({ email });
      // Same work and same answer whether or not the email exists: no account enumeration.
      const matches = await verifyPassword(password, user?.passwordHash ?? (await timingDummyHash));
      if (!user || !matches) throw new BadRequestError('Invalid credentials');
      startSession(req, user, config);
      res.status(200).json(user);
    },
  );
  return router;
}
