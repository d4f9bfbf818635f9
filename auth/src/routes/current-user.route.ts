/**
 * GET /api/users/currentuser: the user of the session cookie, or null.
 */
import { Router } from 'express';

export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    res.status(200).json({ currentUser: req.currentUser ?? null });
  });
  return router;
}
