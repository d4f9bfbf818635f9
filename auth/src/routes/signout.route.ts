/**
 * POST /api/users/signout: clears the session cookie.
 */
import { Router } from 'express';

export function signoutRouter(): Router {
  const router = Router();
  router.post('/api/users/signout', (req, res) => {
    req.session = null;
    res.status(200).json({});
  });
  return router;
}
