import type { Metadata } from 'next';
import { PayoutAccountForm } from '@/components/payouts/payout-account-form';
import { PayoutsView } from '@/components/payouts/payouts-view';
import { getServerApi, requireSignedIn } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Payouts' };

/** What a seller receives for the tickets they sold, and where it goes. */
export default async function PayoutsPage() {
  await requireSignedIn('/payouts');
  const api = await getServerApi();
  const [payouts, account] = await Promise.all([api.listPayouts(), api.getPayoutAccount()]);

  return (
    <>
      <h1 className="mb-4">Payouts</h1>
      <PayoutsView page={payouts} />
      <PayoutAccountForm initialAccountId={account.stripeAccountId} />
    </>
  );
}
