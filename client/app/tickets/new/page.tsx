import type { Metadata } from 'next';
import { TicketForm } from '@/components/ticket-form';
import { requireSignedIn } from '@/lib/api/server';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function NewTicketPage() {
  await requireSignedIn('/tickets/new');
  return (
    <div className="row justify-content-center">
      <div className="col-md-9 col-lg-7">
        <h1 className="mb-4">Sell a ticket</h1>
        <TicketForm />
      </div>
    </div>
  );
}
