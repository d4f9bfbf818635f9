import type { Metadata } from 'next';
import { SignOut } from '@/components/sign-out';

export const metadata: Metadata = { title: 'Sign out' };

export default function SignOutPage() {
  return (
    <>
      <h1 className="mb-4">Sign out</h1>
      <SignOut />
    </>
  );
}
