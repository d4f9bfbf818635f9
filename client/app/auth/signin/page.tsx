import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { getCurrentUser } from '@/lib/api/server';
import { safeNextPath, type SearchParams } from '@/lib/navigation';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath((await searchParams).next);
  if (await getCurrentUser().catch(() => null)) redirect(next);
  return (
    <div className="row justify-content-center">
      <div className="col-sm-10 col-md-7 col-lg-5">
        <h1 className="mb-4">Sign in</h1>
        <AuthForm mode="signin" next={next} />
      </div>
    </div>
  );
}
