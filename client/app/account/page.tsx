import type { Metadata } from 'next';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { SignOutEverywhere } from '@/components/account/sign-out-everywhere';
import { requireSignedIn } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Account' };

/** The signed-in user's account: who they are, their password, and their other sessions. */
export default async function AccountPage() {
  const user = await requireSignedIn('/account');

  return (
    <>
      <h1 className="mb-3">Account</h1>
      <p className="lead mb-5" data-testid="account-email">
        Signed in as <strong>{user.email}</strong>
      </p>
      <ChangePasswordForm />
      <SignOutEverywhere />
    </>
  );
}
