import type { Metadata } from 'next';
import Link from 'next/link';
import { AllInPrice } from '@/components/all-in-price';
import { EventWhen } from '@/components/event-when';
import { OrderStatusBadge } from '@/components/status-badge';
import { getServerApi, requireSignedIn } from '@/lib/api/server';
import { requestTime } from '@/lib/clock';
import { formatDate, formatPlace, formatSeat } from '@/lib/format';

export const metadata: Metadata = { title: 'My orders' };

export default async function MyOrdersPage() {
  await requireSignedIn('/orders');
  const orders = await (await getServerApi()).listOrders();
  const now = requestTime();

  return (
    <>
      <h1 className="mb-4">My orders</h1>
      {orders.length === 0 ? (
        <p className="lead">
          You have not ordered anything yet. <Link href="/">Browse upcoming events</Link>.
        </p>
      ) : (
        <div className="table-responsive">
          <table className="table align-middle">
            <caption className="visually-hidden">Your orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Event</th>
                <th scope="col">Seat</th>
                <th scope="col" className="text-end">
                  Total
                </th>
                <th scope="col">Ordered</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id} data-testid="order-row">
                  <td>
                    <Link href={`/orders/${order.id}`}>{order.ticket.title}</Link>
                  </td>
                  <td>
                    <Link href={`/events/${order.ticket.event.id}`}>{order.ticket.event.name}</Link>
                    <div className="small text-body-secondary">
                      <EventWhen event={order.ticket.event} />
                      <br />
                      {formatPlace(order.ticket.event)}
                    </div>
                  </td>
                  <td>{formatSeat(order.ticket)}</td>
                  <td className="text-end">
                    <AllInPrice amount={order.amount} size="sm" />
                  </td>
                  <td>
                    {order.createdAt ? (
                      <time dateTime={order.createdAt}>{formatDate(order.createdAt)}</time>
                    ) : null}
                  </td>
                  <td>
                    <OrderStatusBadge order={order} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
