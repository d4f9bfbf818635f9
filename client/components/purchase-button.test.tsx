import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import type { Order } from '@/lib/api/types';
import { router, resetRouter } from '@/lib/testing/router';
import { PurchaseButton } from './purchase-button';
import { JAZZ_NIGHT } from '@/lib/testing/catalog';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({
  browserApi: { createOrder: jest.fn(), listOrders: jest.fn() },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { createOrder: jest.Mock; listOrders: jest.Mock };
};

const MINUTE = 60_000;
const HOLD_CAP = 'You already hold 4 tickets: pay for or cancel one first';
const COOLDOWN = 'Your hold on this ticket ended recently: you can hold it again in 37 seconds';

function buildOrder(id: string, overrides: Partial<Order> = {}): Order {
  return {
    id,
    userId: 'u1',
    status: 'created',
    expiresAt: new Date(Date.now() + 12.5 * MINUTE).toISOString(),
    version: 0,
    ticket: {
      id: `t-${id}`,
      title: `Seat ${id}`,
      price: 40,
      event: { ...JAZZ_NIGHT, startsAt: '2030-01-10T01:00:00.000Z' },
    },
    amount: { price: 40, fee: 5.5, total: 45.5 },
    ...overrides,
  };
}

beforeEach(() => {
  resetRouter();
  browserApi.createOrder.mockReset();
  browserApi.listOrders.mockReset();
});

describe('the purchase button', () => {
  it("places the order and opens the order's page", async () => {
    browserApi.createOrder.mockResolvedValue(buildOrder('o9'));
    render(<PurchaseButton ticketId="t1" />);

    await userEvent.click(screen.getByRole('button', { name: 'Purchase' }));

    expect(browserApi.createOrder).toHaveBeenCalledWith('t1');
    expect(router.push).toHaveBeenCalledWith('/orders/o9');
  });

  it('at the hold cap, lists the tickets the buyer still holds, each linked to its order', async () => {
    browserApi.createOrder.mockRejectedValue(
      new ApiError(400, [{ message: HOLD_CAP, field: 'ticketId' }]),
    );
    browserApi.listOrders.mockResolvedValue([
      buildOrder('o1'),
      buildOrder('o2', { status: 'complete' }),
      buildOrder('o3', { status: 'cancelled' }),
      buildOrder('o4', { amount: { price: 20, fee: 3, total: 23 } }),
      // Past its end, though the service has not cancelled it yet: it no longer holds anything.
      buildOrder('o5', { expiresAt: new Date(Date.now() - 1_000).toISOString() }),
    ]);
    render(<PurchaseButton ticketId="t1" />);

    await userEvent.click(screen.getByRole('button', { name: 'Purchase' }));

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(HOLD_CAP);
    expect(alert).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Purchase' })).toHaveAccessibleDescription(HOLD_CAP);
    const held = await screen.findByRole('list', { name: 'Pay for or cancel one of these first:' });
    const rows = within(held).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByRole('link', { name: 'Seat o1' })).toHaveAttribute(
      'href',
      '/orders/o1',
    );
    expect(rows[0]).toHaveTextContent('$45.50 incl. $5.50 fees');
    expect(rows[0]).toHaveTextContent('12 min left');
    expect(within(rows[1]!).getByRole('link', { name: 'Seat o4' })).toHaveAttribute(
      'href',
      '/orders/o4',
    );
    expect(rows[1]).toHaveTextContent('$23.00 incl. $3.00 fees');
    expect(router.push).not.toHaveBeenCalled();
  });

  it('at the hold cap, points to My orders when the held orders cannot be read', async () => {
    browserApi.createOrder.mockRejectedValue(
      new ApiError(400, [{ message: HOLD_CAP, field: 'ticketId' }]),
    );
    browserApi.listOrders.mockRejectedValue(new ApiError(503, [{ message: 'Unavailable' }]));
    render(<PurchaseButton ticketId="t1" />);

    await userEvent.click(screen.getByRole('button', { name: 'Purchase' }));

    expect(await screen.findByRole('link', { name: 'My orders' })).toHaveAttribute(
      'href',
      '/orders',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(HOLD_CAP);
  });

  it('after its own hold ended, says when the buyer can hold it again and that others can buy it', async () => {
    browserApi.createOrder.mockRejectedValue(
      new ApiError(400, [{ message: COOLDOWN, field: 'ticketId' }]),
    );
    render(<PurchaseButton ticketId="t1" label="Buy" size="sm" />);

    await userEvent.click(screen.getByRole('button', { name: 'Buy' }));

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent(COOLDOWN);
    expect(alert).toHaveTextContent('Other buyers can still buy it in the meantime.');
    expect(alert).toHaveFocus();
    expect(browserApi.listOrders).not.toHaveBeenCalled();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it("shows any other refusal in the service's words and shows the ticket as it is now", async () => {
    browserApi.createOrder.mockRejectedValue(
      new ApiError(400, [{ message: 'Ticket is already reserved', field: 'ticketId' }]),
    );
    render(<PurchaseButton ticketId="t1" />);

    await userEvent.click(screen.getByRole('button', { name: 'Purchase' }));

    expect(screen.getByRole('alert')).toHaveTextContent(/^Ticket is already reserved$/);
    expect(browserApi.listOrders).not.toHaveBeenCalled();
    expect(router.refresh).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Purchase' })).toBeEnabled();
  });
});
