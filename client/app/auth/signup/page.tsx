import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { getCurrentUser } from '@/lib/api/server';
import { safeNextPath, type SearchParams } from '@/lib/navigation';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeNextPath((await searchParams).next);
  if (await getCurrentUser().catch(() => null)) redirect(next);
  return (
    <div className="row justify-content-center">
      <div className="col-sm-10 col-md-7 col-lg-5">
        <h1 className="mb-4">Sign up</h1>
        <AuthForm mode="signup" next={next} />
      </div>
    </div>
  );
}
