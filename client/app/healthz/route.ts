/**
 * Liveness and readiness: answers 200 as soon as the Next.js server runs, whatever the APIs behind it
 * are doing (pages that need them show their own error state).
 */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
