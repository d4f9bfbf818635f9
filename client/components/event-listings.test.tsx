import { act, render, screen, within } from '@testing-library/react';
import type { CurrentUser, Ticket } from '@/lib/api/types';
import { STREAM_RETRY_MS } from '@/lib/hooks/use-event-stream';
import { FakeEventSource } from '@/lib/testing/fake-event-source';
import { EventListings, LISTINGS_REFRESH_MS } from './event-listings';
import { JAZZ_NIGHT } from '@/lib/testing/catalog';

jest.mock('@/lib/api/browser', () => ({
  browserApi: { listTickets: jest.fn(), getTicket: jest.fn(), createOrder: jest.fn() },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { listTickets: jest.Mock; getTicket: jest.Mock };
};
jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));

const buyer: CurrentUser = { id: 'buyer', email: 'buyer@example.com' } as CurrentUser;

function buildTicket(overrides: Partial<Ticket> = {}): Ticket {
  const price = overrides.price ?? 40;
  return {
    id: 't1',
    title: 'Jazz Night — Floor',
    price,
    fee: 5.5,
    total: price + 5.5,
    userId: 'seller',
    version: 0,
    status: 'available',
    eventId: 'e1',
    section: 'Floor',
    row: 'C',
    seat: '1',
    createdAt: '2026-01-01T12:00:00.000Z',
    event: JAZZ_NIGHT,
    ...overrides,
  };
}

function renderListings(tickets: Ticket[], { hasNextPage = false } = {}) {
  return render(
    <EventListings
      eventId="e1"
      initialSummary={{
        listings: tickets.length,
        lowestPrice: tickets.length ? Math.min(...tickets.map((t) => t.total)) : null,
      }}
      initialTickets={tickets}
      sort="price"
      page={1}
      hasNextPage={hasNextPage}
      user={buyer}
    />,
  );
}

function rows() {
  return screen.getAllByTestId('event-listing');
}

beforeEach(() => {
  jest.useFakeTimers();
  FakeEventSource.install();
  browserApi.listTickets.mockReset();
  browserApi.getTicket.mockReset();
});

afterEach(() => {
  FakeEventSource.uninstall();
  jest.useRealTimers();
});

describe("an event's listings, live from its stream", () => {
  it('shows the listings the server rendered before any message arrives', () => {
    renderListings([buildTicket()]);

    expect(FakeEventSource.latest().url).toBe('/api/events/e1/stream');
    expect(within(rows()[0]!).getByRole('button', { name: /^Buy Section Floor/ })).toBeEnabled();
  });

  it('marks a listing reserved, without its Buy button, when another buyer holds it', () => {
    renderListings([buildTicket()]);

    const reserved = buildTicket({ status: 'reserved', version: 1 });
    act(() => FakeEventSource.latest().emit('listing', { change: 'reserved', ticket: reserved }));

    expect(within(rows()[0]!).getByTestId('listing-status')).toHaveTextContent('Reserved');
    expect(within(rows()[0]!).queryByRole('button', { name: /^Buy/ })).not.toBeInTheDocument();
  });

  it('marks a listing sold, and offers it again once a hold on it is released', () => {
    renderListings([buildTicket({ status: 'reserved' })]);
    const source = FakeEventSource.latest();

    act(() => source.emit('listing', { change: 'released', ticket: buildTicket({ version: 1 }) }));
    expect(within(rows()[0]!).getByRole('button', { name: /^Buy/ })).toBeEnabled();

    const sold = buildTicket({ status: 'sold', version: 2 });
    act(() => source.emit('listing', { change: 'sold', ticket: sold }));
    expect(within(rows()[0]!).getByTestId('listing-status')).toHaveTextContent('Sold');
  });

  it('shows a new listing in price order', () => {
    renderListings([
      buildTicket({ id: 'cheap', price: 20 }),
      buildTicket({ id: 'dear', price: 60 }),
    ]);

    const listed = buildTicket({ id: 'new', price: 40, seat: '9' });
    act(() => FakeEventSource.latest().emit('listing', { change: 'listed', ticket: listed }));

    expect(rows()).toHaveLength(3);
    expect(rows()[1]).toHaveTextContent('$45.50');
    expect(rows()[1]).toHaveTextContent('9');
  });

  it('leaves a new listing to a later page when it sorts after this one', () => {
    renderListings([buildTicket({ price: 20 })], { hasNextPage: true });

    const listed = buildTicket({ id: 'new', price: 90 });
    act(() => FakeEventSource.latest().emit('listing', { change: 'listed', ticket: listed }));

    expect(rows()).toHaveLength(1);
  });

  it('shows the first listing of an event that had none', () => {
    renderListings([]);
    expect(screen.getByText('No tickets for this event yet.')).toBeInTheDocument();

    act(() =>
      FakeEventSource.latest().emit('listing', { change: 'listed', ticket: buildTicket() }),
    );

    expect(rows()).toHaveLength(1);
  });

  it('updates the total when the price changes', () => {
    renderListings([buildTicket()]);

    const changed = buildTicket({ price: 30, fee: 4.5, total: 34.5, version: 1 });
    act(() =>
      FakeEventSource.latest().emit('listing', { change: 'price-changed', ticket: changed }),
    );

    expect(rows()[0]).toHaveTextContent('$34.50');
    expect(rows()[0]).not.toHaveTextContent('$45.50');
  });

  it('takes what changed before connecting from the first message', () => {
    renderListings([buildTicket()]);

    const changed = buildTicket({ price: 30, fee: 4.5, total: 34.5, version: 1 });
    const listed = buildTicket({ id: 'new', price: 50, seat: '2' });
    act(() => FakeEventSource.latest().emit('listings', { tickets: [changed, listed] }));

    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toHaveTextContent('$34.50');
  });

  it('reads again a listing the first message no longer counts open, and shows how it stands', async () => {
    renderListings([buildTicket(), buildTicket({ id: 't2', price: 50, seat: '2' })]);
    browserApi.getTicket.mockResolvedValue(buildTicket({ status: 'sold', version: 2 }));

    await act(async () => {
      FakeEventSource.latest().emit('listings', {
        tickets: [buildTicket({ id: 't2', price: 50, seat: '2' })],
      });
      await jest.advanceTimersByTimeAsync(0);
    });

    expect(browserApi.getTicket).toHaveBeenCalledTimes(1);
    expect(browserApi.getTicket).toHaveBeenCalledWith('t1');
    expect(within(rows()[0]!).getByTestId('listing-status')).toHaveTextContent('Sold');
    expect(within(rows()[1]!).getByRole('button', { name: /^Buy/ })).toBeEnabled();
  });

  it('opens the stream again after the browser gave up, and stops polling once it is live', async () => {
    renderListings([buildTicket()]);
    browserApi.listTickets.mockResolvedValue({ items: [buildTicket()], nextPage: null });
    const first = FakeEventSource.latest();

    act(() => first.fail({ giveUp: true }));
    expect(screen.getByTestId('event-listings')).toHaveAttribute('data-stream', 'failed');
    await act(async () => {
      await jest.advanceTimersByTimeAsync(STREAM_RETRY_MS);
    });
    const second = FakeEventSource.latest();
    expect(second).not.toBe(first);
    act(() => second.emit('listings', { tickets: [buildTicket()] }));
    expect(screen.getByTestId('event-listings')).toHaveAttribute('data-stream', 'live');
    await act(async () => {
      await jest.advanceTimersByTimeAsync(LISTINGS_REFRESH_MS * 2);
    });

    expect(browserApi.listTickets).not.toHaveBeenCalled();
  });

  it("keeps the heading's count and lowest total to what the stream says is open", () => {
    renderListings([buildTicket(), buildTicket({ id: 't2', price: 50, seat: '2' })]);
    const heading = screen.getByTestId('listings-heading');
    expect(heading).toHaveTextContent('2 tickets for sale · from $45.50');
    const source = FakeEventSource.latest();

    act(() =>
      source.emit('listings', {
        tickets: [buildTicket(), buildTicket({ id: 't2', price: 50, seat: '2' })],
      }),
    );
    act(() =>
      source.emit('listing', {
        change: 'reserved',
        ticket: buildTicket({ status: 'reserved', version: 1 }),
      }),
    );
    expect(heading).toHaveTextContent('1 ticket for sale · from $55.50');

    act(() =>
      source.emit('listing', {
        change: 'listed',
        ticket: buildTicket({ id: 't3', price: 20, fee: 3.5, total: 23.5, seat: '3' }),
      }),
    );
    expect(heading).toHaveTextContent('2 tickets for sale · from $23.50');

    act(() =>
      source.emit('listing', {
        change: 'sold',
        ticket: buildTicket({ id: 't2', status: 'sold', version: 2, price: 50, seat: '2' }),
      }),
    );
    act(() =>
      source.emit('listing', {
        change: 'sold',
        ticket: buildTicket({ id: 't3', status: 'sold', version: 2, price: 20, seat: '3' }),
      }),
    );
    expect(heading).toHaveTextContent(/^Tickets for sale$/);
  });

  it('ignores a message older than what the page shows', () => {
    renderListings([buildTicket({ status: 'sold', version: 3 })]);

    act(() =>
      FakeEventSource.latest().emit('listing', { change: 'updated', ticket: buildTicket() }),
    );

    expect(within(rows()[0]!).getByTestId('listing-status')).toHaveTextContent('Sold');
  });

  it('reads the listings again periodically when the browser gives up on the stream', async () => {
    renderListings([buildTicket()]);
    browserApi.listTickets.mockResolvedValue({ items: [], nextPage: null });

    act(() => FakeEventSource.latest().fail({ giveUp: true }));
    await act(async () => {
      await jest.advanceTimersByTimeAsync(LISTINGS_REFRESH_MS + 100);
    });

    expect(browserApi.listTickets).toHaveBeenCalledWith({ eventId: 'e1', sort: 'price', page: 1 });
    expect(screen.getByText('No tickets for this event yet.')).toBeInTheDocument();
  });

  it('shows the list anew when the server renders it again', () => {
    const { rerender } = renderListings([buildTicket()]);

    rerender(
      <EventListings
        eventId="e1"
        initialSummary={{ listings: 0, lowestPrice: null }}
        initialTickets={[buildTicket({ status: 'reserved' })]}
        sort="price"
        page={1}
        hasNextPage={false}
        user={buyer}
      />,
    );

    expect(within(rows()[0]!).getByTestId('listing-status')).toHaveTextContent('Reserved');
  });

  it('closes the stream when the page is left', () => {
    const { unmount } = renderListings([buildTicket()]);

    unmount();

    expect(FakeEventSource.latest().readyState).toBe(FakeEventSource.CLOSED);
  });
});
