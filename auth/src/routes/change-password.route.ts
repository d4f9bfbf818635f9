/**
 * PUT /api/users/password: checks the current password, stores the new one's hash and publishes
 * user.updated; failures count against the client like failed sign-ins.
 */
import { Router, type Request, type Response, type RequestHandler } from 'express';
import {
  BadRequestError,
  NotAuthorizedError,
  Subjects,
  requireAuth,
  event,
  retryOnConflict,
  saveWithEvents,
  validateBody,
} from '@ticketing/common';
import { User } from '../models/user.model';
import { hashPassword, verifyPassword } from '../domain/password';
import { changePasswordBody } from './credentials.schema';

export function changePasswordRouter(limitFailures: RequestHandler): Router {
  const router = Router();
  router.put(
    '/api/users/password',
    requireAuth,
    limitFailures,
    validateBody(changePasswordBody),
    async (req: Request, res: Response) => {
      const { currentPassword, newPassword } = req.body as {
        currentPassword: string;
        newPassword: string;
      };
      const existing = await User.findById(req.currentUser!.id);
      if (!existing) throw new NotAuthorizedError();
      if (!(await verifyPassword(currentPassword, existing.passwordHash))) {
        throw new BadRequestError('Current password is incorrect', 'currentPassword');
      }
      const passwordHash = await hashPassword(newPassword);
      const user = await retryOnConflict(async () => {
        const fresh = await User.findById(existing.id);
        if (!fresh) throw new NotAuthorizedError();
        fresh.passwordHash = passwordHash;
        await saveWithEvents(fresh, (version) => [
          event(Subjects.UserUpdated, { id: fresh.id as string, email: fresh.email, version }),
        ]);
        return fresh;
      });
      res.status(200).json(user);
    },
  );
  return router;
}
