import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { OrderView } from '@/components/order-view';
import { getOrder, isApiStatus, requireSignedIn } from '@/lib/api/server';
import { requestTime } from '@/lib/clock';
import { stripePublishableKey } from '@/lib/config';

type Params = Promise<{ orderId: string }>;

export const metadata: Metadata = { title: 'Your order' };

export default async function OrderPage({ params }: { params: Params }) {
  const { orderId } = await params;
  await requireSignedIn(`/orders/${orderId}`);
  // Another buyer's order is answered like an unknown one: its existence is not ours to reveal.
  const order = await getOrder(orderId).catch((err: unknown) => {
    if (isApiStatus(err, 401, 404)) notFound();
    throw err;
  });

  return (
    <>
      <nav aria-label="Breadcrumb">
        <ol className="breadcrumb">
          <li className="breadcrumb-item">
            <Link href="/orders">My orders</Link>
          </li>
          <li className="breadcrumb-item active" aria-current="page">
            {order.ticket.title}
          </li>
        </ol>
      </nav>
      <h1 className="mb-4">Your order</h1>
      <OrderView
        initialOrder={order}
        renderedAt={requestTime()}
        stripeKey={stripePublishableKey()}
      />
    </>
  );
}
