/**
 * Sign-in (main stack): autocannon sends `POST /api/users/signin` with one user's right password for
 * 10 s at 8 connections, below auth's limit of failed attempts (in-flight sign-ins count against it).
 */
import type { ApiClient } from '@ticketing/common';
import { cannon, type CannonFigures } from '../cannon';
import { log } from '../lib';
import { PASSWORD } from '../settings';
import type { Env } from '../stack-run';

export async function signInPhase(
  label: string,
  env: Env,
  user: ApiClient,
): Promise<CannonFigures> {
  log(`[${label}] sign-in`);
  const signin = await cannon(
    env,
    'POST /api/users/signin',
    {
      url: `${env.url}/api/users/signin`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.user!.email, password: PASSWORD }),
      // As the bench always measured it (only failed sign-ins count since issue 14, so more would do).
      connections: 8,
      duration: 10,
    },
    // No warm-up run: its end aborts the sign-ins in flight, and the limiter keeps those counted.
    0,
  );
  log(`[${label}] sign-in: ${signin.reqPerSec.toFixed(0)} req/s, non-2xx ${signin.non2xx}`);
  return signin;
}
