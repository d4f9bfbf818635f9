/**
 * POST /api/users/signin: checks the email and password and starts a session; an unknown email and
 * a wrong password get the same answer in the same time; a client that failed too often gets 429.
 */
import { Router, type Request, type Response } from 'express';
import { BadRequestError, validateBody } from '@ticketing/common';
import type { AuthConfig } from '../config';
import { signIn } from '../domain/accounts';
import type { CredentialLimits } from '../domain/failure-limits';
import { startSession } from './session.cookie';
import { signinBody } from './credentials.schema';
import { clientAddress, refuseTooManyFailures } from './too-many-failures';

export function signinRouter(config: AuthConfig, limits: CredentialLimits): Router {
  const router = Router();
  router.post(
    '/api/users/signin',
    validateBody(signinBody),
    async (req: Request, res: Response) => {
      const { email, password } = req.body as { email: string; password: string };
      const result = await signIn(limits, { email, password, address: clientAddress(req) });
      switch (result.outcome) {
        case 'refused':
          return refuseTooManyFailures(res, result, 'Too many failed sign-ins, try again later');
        case 'invalid':
          throw new BadRequestError('Invalid credentials');
        case 'signed-in':
          startSession(req, result, config);
          res.status(200).json(result.user);
      }
    },
  );
  return router;
}
