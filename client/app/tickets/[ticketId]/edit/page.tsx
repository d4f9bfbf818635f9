import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EventWhen } from '@/components/event-when';
import { TicketForm } from '@/components/ticket-form';
import { getTicket, isApiStatus, requireSignedIn } from '@/lib/api/server';
import { formatPlace } from '@/lib/format';

type Params = Promise<{ ticketId: string }>;

export const metadata: Metadata = { title: 'Edit listing' };

export default async function EditTicketPage({ params }: { params: Params }) {
  const { ticketId } = await params;
  const user = await requireSignedIn(`/tickets/${ticketId}/edit`);
  const ticket = await getTicket(ticketId).catch((err: unknown) => {
    if (isApiStatus(err, 404)) notFound();
    throw err;
  });
  // Only the seller may edit, and only while no buyer holds or has bought the ticket and the event
  // has not started.
  let blocked: string | null = null;
  if (ticket.userId !== user.id) blocked = 'Only the seller can edit this listing.';
  else if (ticket.status === 'reserved')
    blocked = 'A buyer is holding this ticket, so its listing cannot be changed right now.';
  else if (ticket.status === 'sold') blocked = 'This ticket has been sold; its listing is final.';
  else if (ticket.status === 'closed')
    blocked = 'The event has started, so this listing is closed and cannot be changed.';

  return (
    <div className="row justify-content-center">
      <div className="col-md-9 col-lg-7">
        <h1 className="mb-3">Edit listing</h1>
        <p className="mb-4" data-testid="edit-event">
          For <strong>{ticket.event.name}</strong>, <EventWhen event={ticket.event} />,{' '}
          {formatPlace(ticket.event)}. The event of a listing cannot be changed.
        </p>
        {blocked ? (
          <div className="alert alert-warning" role="alert">
            <p>{blocked}</p>
            <Link href={`/tickets/${ticket.id}`} className="alert-link">
              Back to the ticket
            </Link>
          </div>
        ) : (
          <TicketForm ticket={ticket} />
        )}
      </div>
    </div>
  );
}
