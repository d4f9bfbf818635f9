/**
 * PUT /api/users/password: checks the current password, stores the new one's hash, ends every other
 * session of the user and publishes user.updated; the caller gets a new session. Wrong current
 * passwords are limited per client address and user (429).
 */
import { Router, type Request, type Response } from 'express';
import { BadRequestError, requireAuth, validateBody } from '@ticketing/common';
import type { AuthConfig } from '../config';
import { changePassword } from '../domain/accounts';
import type { CredentialLimits } from '../domain/failure-limits';
import { changePasswordBody } from './credentials.schema';
import { startSession } from './session.cookie';
import { clientAddress, refuseTooManyFailures } from './too-many-failures';

export function changePasswordRouter(config: AuthConfig, limits: CredentialLimits): Router {
  const router = Router();
  router.put(
    '/api/users/password',
    requireAuth,
    validateBody(changePasswordBody),
    async (req: Request, res: Response) => {
      const { currentPassword, newPassword } = req.body as {
        currentPassword: string;
        newPassword: string;
      };
      const result = await changePassword(limits, {
        userId: req.currentUser!.id,
        currentPassword,
        newPassword,
        address: clientAddress(req),
      });
      switch (result.outcome) {
        case 'refused':
          return refuseTooManyFailures(res, result, 'Too many failed attempts, try again later');
        case 'wrong-password':
          throw new BadRequestError('Current password is incorrect', 'currentPassword');
        case 'changed':
          startSession(req, result, config);
          res.status(200).json(result.user);
      }
    },
  );
  return router;
}
