/**
 * POST /api/users/signout-everywhere: ends every session of the signed-in user (on every device and in
 * every service) and gives the caller a new one; publishes user.updated.
 */
import { Router, type Request, type Response } from 'express';
import { requireAuth } from '@ticketing/common';
import type { AuthConfig } from '../config';
import { signOutEverywhere } from '../domain/accounts';
import { startSession } from './session.cookie';

export function signoutEverywhereRouter(config: AuthConfig): Router {
  const router = Router();
  router.post('/api/users/signout-everywhere', requireAuth, async (req: Request, res: Response) => {
    const session = await signOutEverywhere(req.currentUser!.id);
    startSession(req, session, config);
    res.status(200).json(session.user);
  });
  return router;
}
