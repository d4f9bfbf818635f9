import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import type { Order } from '@/lib/api/types';
import { FakeEventSource } from '@/lib/testing/fake-event-source';
import { OrderView, orderPhase } from './order-view';
import { JAZZ_NIGHT } from '@/lib/testing/catalog';

jest.mock('@/lib/api/browser', () => ({
  browserApi: { getOrder: jest.fn(), pay: jest.fn(), cancelOrder: jest.fn() },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { getOrder: jest.Mock; pay: jest.Mock; cancelOrder: jest.Mock };
};

const T0 = Date.parse('2026-01-01T12:00:00Z');

function buildOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    userId: 'u1',
    status: 'created',
    expiresAt: new Date(T0 + 15 * 60_000).toISOString(),
    version: 0,
    ticket: {
      id: 't1',
      title: 'Concert',
      price: 40,
      section: 'Floor',
      row: 'C',
      event: JAZZ_NIGHT,
    },
    amount: { price: 40, fee: 5.5, total: 45.5 },
    ...overrides,
  };
}

async function payWith(card: string) {
  const user = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
  await user.type(screen.getByLabelText('Card number'), card);
  await user.type(screen.getByLabelText('Expiry (MM / YY)'), '12/40');
  await user.type(screen.getByLabelText('CVC'), '123');
  await user.click(screen.getByRole('button', { name: 'Pay $45.50' }));
}

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
  browserApi.getOrder.mockReset();
  browserApi.pay.mockReset();
  browserApi.cancelOrder.mockReset();
  browserApi.getOrder.mockResolvedValue(buildOrder());
});

afterEach(() => jest.useRealTimers());

describe('the order page', () => {
  it("names the event, its start on the venue's clock, the venue and the seat", () => {
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    const facts = screen.getByTestId('listing-facts');
    expect(facts).toHaveTextContent('Jazz Night');
    expect(facts).toHaveTextContent('Fri, Jan 9, 2026, 8:00 PM EST');
    expect(facts).toHaveTextContent('Blue Note, New York');
    expect(facts).toHaveTextContent('SectionFloor');
    expect(facts).toHaveTextContent('RowC');
  });

  it('shows the total with its fees, and the breakdown above a pay button that states the total', () => {
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    expect(screen.getByTestId('order-price')).toHaveTextContent('$45.50 incl. $5.50 fees');
    const summary = screen.getByTestId('price-summary');
    expect(summary).toHaveTextContent('Ticket price$40.00Service fee$5.50Total$45.50');
    const pay = screen.getByRole('button', { name: 'Pay $45.50' });
    expect(summary.compareDocumentPosition(pay) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('charges what was fixed when the hold was placed, not the listing as it is now', () => {
    const order = buildOrder({ amount: { price: 30, fee: 4.5, total: 34.5 } });

    render(<OrderView initialOrder={order} renderedAt={T0} stripeKey={null} />);

    expect(screen.getByRole('button', { name: 'Pay $34.50' })).toBeInTheDocument();
    expect(screen.getByTestId('price-summary')).toHaveTextContent('Ticket price$30.00');
  });

  it('counts down to the end of the hold', async () => {
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    await act(async () => jest.advanceTimersByTime(5_000));

    expect(screen.getByRole('timer')).toHaveTextContent('14:55');
    expect(screen.getByRole('button', { name: 'Pay $45.50' })).toBeEnabled();
  });

  it('shows the order complete once the payment is confirmed, without a reload', async () => {
    browserApi.pay.mockResolvedValue({
      id: 'c1',
      orderId: 'o1',
      status: 'completed',
      amount: 4550,
    });
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    await payWith('4242 4242 4242 4242');

    expect(browserApi.pay).toHaveBeenCalledWith({ orderId: 'o1', token: 'tok_visa' });
    expect(await screen.findByText('Payment received. Confirming your order…')).toBeInTheDocument();
    browserApi.getOrder.mockResolvedValue(buildOrder({ status: 'complete' }));
    await act(async () => jest.advanceTimersByTime(1_500));
    expect(screen.getByText('Paid — your order is complete')).toBeInTheDocument();
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
  });

  it('shows a decline beside the card, then that the order was cancelled', async () => {
    browserApi.pay.mockRejectedValue(
      new ApiError(400, [{ message: 'Your card was declined', field: 'token' }]),
    );
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    await payWith('4000 0000 0000 0002');

    await waitFor(() =>
      expect(screen.getByLabelText('Card number')).toHaveAccessibleDescription(
        'Your card was declined',
      ),
    );
    browserApi.getOrder.mockResolvedValue(buildOrder({ status: 'cancelled' }));
    await act(async () => jest.advanceTimersByTime(1_500));
    expect(screen.getByText('Payment failed')).toBeInTheDocument();
    expect(screen.getByText(/This order has been cancelled/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Card number')).not.toBeInTheDocument();
  });

  it('says the hold expired when the countdown runs out, and takes the form away', async () => {
    const order = buildOrder({ expiresAt: new Date(T0 + 3_000).toISOString() });
    browserApi.getOrder.mockResolvedValue(order);
    render(<OrderView initialOrder={order} renderedAt={T0} stripeKey={null} />);
    expect(screen.getByRole('timer')).toHaveTextContent('0:03');

    await act(async () => jest.advanceTimersByTime(3_500));

    expect(screen.getByText('Your hold expired')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Pay/ })).not.toBeInTheDocument();
  });

  it('cancels the order on request', async () => {
    browserApi.cancelOrder.mockResolvedValue(undefined);
    browserApi.getOrder.mockResolvedValue(buildOrder({ status: 'cancelled' }));
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    const user = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
    await user.click(screen.getByRole('button', { name: /Cancel this order/ }));

    expect(browserApi.cancelOrder).toHaveBeenCalledWith('o1');
    expect(await screen.findByText('This order was cancelled')).toBeInTheDocument();
  });

  it('says the price changed, without a reload, when tickets refused the hold', async () => {
    const refused = buildOrder({
      status: 'cancelled',
      cancellation: { reason: 'price-changed', message: 'The price changed to $30' },
    });
    browserApi.getOrder.mockResolvedValue(refused);
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);

    await act(async () => {
      await jest.advanceTimersByTimeAsync(3_000);
    });

    expect(await screen.findByText('The price changed to $30')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Pay $45.50' })).not.toBeInTheDocument();
  });
});

describe('the order page, live from its stream', () => {
  beforeEach(() => FakeEventSource.install());
  afterEach(() => FakeEventSource.uninstall());

  function renderLive(order = buildOrder()) {
    const view = render(<OrderView initialOrder={order} renderedAt={T0} stripeKey={null} />);
    const source = FakeEventSource.latest();
    act(() => source.emit('order', order));
    return { ...view, source };
  }

  it("subscribes to the order's stream and does not poll while it is live", async () => {
    renderLive();

    await act(async () => jest.advanceTimersByTime(10_000));

    expect(FakeEventSource.latest().url).toBe('/api/orders/o1/stream');
    expect(browserApi.getOrder).not.toHaveBeenCalled();
  });

  it('shows the order complete the moment the stream says so', () => {
    const { source } = renderLive();

    act(() => source.emit('order', buildOrder({ status: 'complete', version: 1 })));

    expect(screen.getByText('Paid — your order is complete')).toBeInTheDocument();
    expect(screen.queryByRole('timer')).not.toBeInTheDocument();
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
  });

  it("counts down to the server's expiresAt as the stream sends it", () => {
    const { source } = renderLive();

    const extended = new Date(T0 + 2 * 60_000).toISOString();
    act(() => source.emit('order', buildOrder({ expiresAt: extended, version: 1 })));

    expect(screen.getByRole('timer')).toHaveTextContent('2:00');
  });

  it('says the hold expired when the stream cancels the order for it', () => {
    const { source } = renderLive();

    const expired = { reason: 'expired', message: 'Your hold expired' };
    act(() =>
      source.emit('order', buildOrder({ status: 'cancelled', cancellation: expired, version: 1 })),
    );

    expect(screen.getByText('Your hold expired')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Pay/ })).not.toBeInTheDocument();
  });

  it('says the price changed when the stream cancels the order for it', () => {
    const { source } = renderLive();

    const refused = { reason: 'price-changed', message: 'The price changed to $30' };
    act(() =>
      source.emit('order', buildOrder({ status: 'cancelled', cancellation: refused, version: 1 })),
    );

    expect(screen.getByText('The price changed to $30')).toBeInTheDocument();
  });

  it('says the payment failed when the stream cancels the order as declined', () => {
    const { source } = renderLive();

    const declined = { reason: 'declined', message: 'Your card was declined' };
    act(() =>
      source.emit('order', buildOrder({ status: 'cancelled', cancellation: declined, version: 1 })),
    );

    expect(screen.getByText('Payment failed')).toBeInTheDocument();
    expect(screen.getByText('Your card was declined')).toBeInTheDocument();
  });

  it('ignores a message older than what the page shows', () => {
    const { source } = renderLive();
    act(() => source.emit('order', buildOrder({ status: 'complete', version: 2 })));

    act(() => source.emit('order', buildOrder({ version: 1 })));

    expect(screen.getByText('Paid — your order is complete')).toBeInTheDocument();
  });

  it('polls the order instead when the browser gives up on the stream', async () => {
    const { source } = renderLive();
    browserApi.getOrder.mockResolvedValue(buildOrder({ status: 'complete', version: 1 }));

    act(() => source.fail({ giveUp: true }));
    await act(async () => {
      await jest.advanceTimersByTimeAsync(3_500);
    });

    expect(browserApi.getOrder).toHaveBeenCalledWith('o1');
    expect(screen.getByText('Paid — your order is complete')).toBeInTheDocument();
  });

  it('polls the order instead when the stream stays silent', async () => {
    render(<OrderView initialOrder={buildOrder()} renderedAt={T0} stripeKey={null} />);
    browserApi.getOrder.mockResolvedValue(buildOrder({ status: 'complete', version: 1 }));

    await act(async () => {
      await jest.advanceTimersByTimeAsync(4_000);
    });
    expect(browserApi.getOrder).not.toHaveBeenCalled();
    await act(async () => {
      await jest.advanceTimersByTimeAsync(4_500);
    });

    expect(FakeEventSource.latest().readyState).toBe(FakeEventSource.CLOSED);
    expect(screen.getByText('Paid — your order is complete')).toBeInTheDocument();
  });

  it('keeps listening while the browser reconnects, and closes the stream on unmount', async () => {
    const { source, unmount } = renderLive();

    act(() => source.fail({ giveUp: false }));
    await act(async () => jest.advanceTimersByTime(2_000));
    act(() => source.emit('order', buildOrder()));
    await act(async () => jest.advanceTimersByTime(10_000));
    expect(browserApi.getOrder).not.toHaveBeenCalled();
    unmount();

    expect(source.readyState).toBe(FakeEventSource.CLOSED);
  });
});

describe('orderPhase', () => {
  const none = { paid: false, paymentFailure: null, cancelledHere: false };
  const later = T0 + 20 * 60_000;

  it('follows the order and what happened on the page', () => {
    expect(orderPhase(buildOrder(), T0, none)).toBe('paying');
    expect(orderPhase(buildOrder(), later, none)).toBe('expired');
    expect(orderPhase(buildOrder(), T0, { ...none, paid: true })).toBe('confirming');
    expect(orderPhase(buildOrder({ status: 'complete' }), later, none)).toBe('complete');
    expect(orderPhase(buildOrder({ status: 'cancelled' }), T0, none)).toBe('cancelled');
    expect(orderPhase(buildOrder({ status: 'cancelled' }), later, none)).toBe('expired');
    expect(
      orderPhase(buildOrder({ status: 'cancelled' }), T0, { ...none, paymentFailure: 'declined' }),
    ).toBe('declined');
    const refused = { reason: 'price-changed', message: 'The price changed to $30' };
    expect(
      orderPhase(buildOrder({ status: 'cancelled', cancellation: refused }), later, none),
    ).toBe('refused');
    const cancelledFor = (reason: string) =>
      buildOrder({ status: 'cancelled', cancellation: { reason, message: reason } });
    expect(orderPhase(cancelledFor('expired'), T0, none)).toBe('expired');
    expect(orderPhase(cancelledFor('declined'), T0, none)).toBe('declined');
    expect(orderPhase(cancelledFor('sold'), T0, none)).toBe('refused');
    expect(orderPhase(cancelledFor('cancelled'), later, none)).toBe('cancelled');
  });
});
