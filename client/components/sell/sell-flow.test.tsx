import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import type { CatalogEvent } from '@/lib/api/types';
import { router, resetRouter } from '@/lib/testing/router';
import { sortListingFailures } from './listing-form';
import { QUOTE_DELAY_MS } from './price-quote';
import { SellFlow } from './sell-flow';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({
  browserApi: {
    listEvents: jest.fn(),
    createEvent: jest.fn(),
    createTicket: jest.fn(),
    quote: jest.fn(),
  },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: {
    listEvents: jest.Mock;
    createEvent: jest.Mock;
    createTicket: jest.Mock;
    quote: jest.Mock;
  };
};

/** `GET /api/tickets/quote` as the tickets service answers with the default fees (10 % + $1.50, 5 %). */
function quoteFor(price: number) {
  const cents = Math.round(price * 100);
  const fee = Math.floor((cents * 1000 + 5000) / 10_000) + 150;
  const sellerFee = Math.floor((cents * 500 + 5000) / 10_000);
  return {
    price,
    fee: fee / 100,
    total: (cents + fee) / 100,
    sellerFee: sellerFee / 100,
    payout: (cents - sellerFee) / 100,
  };
}

const NOW = Date.parse('2026-12-01T12:00:00Z');

/**
 * The new-event form renders some 400 time-zone options, which jsdom handles slowly: under 1 s alone,
 * but several times that on a loaded two-core machine.
 */
const NEW_EVENT_TIMEOUT_MS = 15_000;

const event: CatalogEvent = {
  id: 'e1',
  name: 'Jazz Night',
  venue: 'Blue Note',
  city: 'New York',
  category: 'concert',
  startsAt: '2027-06-07T00:00:00.000Z',
  timeZone: 'America/New_York',
};

let listed = 0;
function listing(body: Record<string, unknown>) {
  listed += 1;
  return {
    id: `t${listed}`,
    price: body.price,
    section: body.section,
    row: body.row,
    seat: body.seat,
  };
}

/**
 * Sets a field's value in one change, as Playwright's fill does: typing key by key into the new-event
 * form (whose time-zone select holds some 400 options) costs jsdom most of a second per field.
 */
function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function fillSeat(index: number, seat: { section?: string; row?: string; seat?: string }) {
  const group = screen.getByRole('group', { name: `Ticket ${index}` });
  for (const [label, value] of [
    ['Section', seat.section],
    ['Row', seat.row],
    ['Seat', seat.seat],
  ] as const) {
    if (value) await userEvent.type(within(group).getByLabelText(label), value);
  }
}

beforeEach(() => {
  resetRouter();
  listed = 0;
  for (const fn of Object.values(browserApi)) fn.mockReset();
  browserApi.quote.mockImplementation(async (price: number) => quoteFor(price));
  jest.spyOn(Date, 'now').mockReturnValue(NOW);
});

afterEach(() => jest.restoreAllMocks());

describe('choosing the event', () => {
  it('finds the event by name and chooses it', async () => {
    browserApi.listEvents.mockResolvedValue({
      items: [{ ...event, listings: 2, lowestPrice: 40 }],
      nextPage: null,
    });
    render(<SellFlow initialEvent={null} />);

    await userEvent.type(screen.getByLabelText('Find the event'), 'jazz');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Choose Jazz Night, Sun, Jun 6, 2027, 8:00 PM EDT',
      }),
    );

    expect(browserApi.listEvents).toHaveBeenCalledWith({ q: 'jazz', limit: 8 });
    expect(screen.getByTestId('chosen-event')).toHaveTextContent('Jazz Night');
    expect(screen.getByLabelText('Price per ticket (USD)')).toBeInTheDocument();
  });

  it(
    "adds a missing event, its start typed on the venue's clock sent as the instant",
    async () => {
      browserApi.listEvents.mockResolvedValue({ items: [], nextPage: null });
      browserApi.createEvent.mockResolvedValue({ event, created: true });
      render(<SellFlow initialEvent={null} />);

      fill('Find the event', 'Jazz Night');
      await userEvent.click(screen.getByRole('button', { name: 'Search' }));
      expect(await screen.findByText('No upcoming events match “Jazz Night”.')).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Add the event' }));
      expect(screen.getByLabelText('Event name')).toHaveValue('Jazz Night');
      fill('Venue', 'Blue Note');
      fill('City', 'New York');
      fill('Date and time', '2027-06-06T20:00');
      await userEvent.selectOptions(screen.getByLabelText('Time zone'), 'America/New_York');
      await userEvent.selectOptions(screen.getByLabelText('Category'), 'concert');
      expect(screen.getByTestId('event-start-preview')).toHaveTextContent(
        'Buyers will see it starts Sun, Jun 6, 2027, 8:00 PM EDT.',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Add event' }));

      expect(browserApi.createEvent).toHaveBeenCalledWith({
        name: 'Jazz Night',
        venue: 'Blue Note',
        city: 'New York',
        startsAt: '2027-06-07T00:00:00.000Z',
        timeZone: 'America/New_York',
        category: 'concert',
      });
      expect(screen.getByTestId('chosen-event')).toHaveTextContent('Sun, Jun 6, 2027, 8:00 PM EDT');
    },
    NEW_EVENT_TIMEOUT_MS,
  );

  it(
    "shows what is wrong with the new event beside each field, the service's words included",
    async () => {
      browserApi.createEvent.mockRejectedValue(
        new ApiError(400, [{ message: 'Venue must be 1 to 120 characters', field: 'venue' }]),
      );
      render(<SellFlow initialEvent={null} />);
      await userEvent.click(screen.getByRole('button', { name: 'Add the event' }));

      await userEvent.click(screen.getByRole('button', { name: 'Add event' }));

      const name = screen.getByLabelText('Event name');
      expect(name).toHaveAccessibleDescription(expect.stringContaining('Name is required'));
      expect(name).toHaveFocus();
      expect(screen.getByLabelText('Date and time')).toHaveAccessibleDescription(
        expect.stringContaining('Enter the date and time the event starts'),
      );
      expect(browserApi.createEvent).not.toHaveBeenCalled();

      fill('Event name', 'Jazz Night');
      fill('Venue', 'Blue Note');
      fill('City', 'New York');
      fill('Date and time', '2027-06-06T20:00');
      await userEvent.selectOptions(screen.getByLabelText('Category'), 'concert');
      await userEvent.click(screen.getByRole('button', { name: 'Add event' }));

      const venue = await screen.findByLabelText('Venue');
      expect(venue).toHaveAccessibleDescription('Venue must be 1 to 120 characters');
      expect(venue).toHaveFocus();
    },
    NEW_EVENT_TIMEOUT_MS,
  );
});

describe('listing the seats', () => {
  it('lists each seat at the one price, in order, then opens the event page', async () => {
    browserApi.createTicket.mockImplementation(async (body: Record<string, unknown>) =>
      listing(body),
    );
    render(<SellFlow initialEvent={event} />);

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '80');
    await fillSeat(1, { section: 'A', row: '1', seat: '1' });
    await userEvent.click(screen.getByRole('button', { name: 'Add another seat' }));
    await fillSeat(2, { section: 'A', row: '1', seat: '2' });
    await userEvent.click(screen.getByRole('button', { name: 'List 2 tickets' }));

    expect(browserApi.createTicket.mock.calls).toEqual([
      [{ eventId: 'e1', price: 80, section: 'A', row: '1', seat: '1' }],
      [{ eventId: 'e1', price: 80, section: 'A', row: '1', seat: '2' }],
    ]);
    expect(router.push).toHaveBeenCalledWith('/events/e1?listed=2');
  });

  it('lists one general admission ticket with its own title and opens its page', async () => {
    browserApi.createTicket.mockImplementation(async (body: Record<string, unknown>) =>
      listing(body),
    );
    render(<SellFlow initialEvent={event} />);

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '45.50');
    await userEvent.type(screen.getByLabelText('Title (optional)'), ' Standing, early entry ');
    await userEvent.click(screen.getByRole('button', { name: 'List ticket' }));

    expect(browserApi.createTicket).toHaveBeenCalledWith({
      eventId: 'e1',
      price: 45.5,
      title: 'Standing, early entry',
    });
    expect(router.push).toHaveBeenCalledWith('/tickets/t1');
  });

  it('keeps the seats listed, and shows why the others failed beside them', async () => {
    browserApi.createTicket
      .mockImplementationOnce(async (body: Record<string, unknown>) => listing(body))
      .mockRejectedValueOnce(
        new ApiError(400, [{ message: 'Seat must be at most 20 characters', field: 'seat' }]),
      );
    render(<SellFlow initialEvent={event} />);

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '80');
    await fillSeat(1, { row: '1', seat: '1' });
    await userEvent.click(screen.getByRole('button', { name: 'Add another seat' }));
    await fillSeat(2, { row: '1', seat: '2' });
    await userEvent.click(screen.getByRole('button', { name: 'List 2 tickets' }));

    expect(await screen.findByRole('status')).toHaveTextContent('Listed: Row 1, Seat 1 ($80.00)');
    expect(screen.getByRole('alert')).toHaveTextContent(
      '1 of 2 tickets could not be listed. See the seats below.',
    );
    expect(screen.getAllByTestId('seat-row')).toHaveLength(1);
    const seat = within(screen.getByRole('group', { name: 'Ticket 1' })).getByLabelText('Seat');
    expect(seat).toHaveValue('2');
    expect(seat).toHaveAccessibleDescription('Seat must be at most 20 characters');
    expect(seat).toHaveFocus();
    expect(router.push).not.toHaveBeenCalled();
  });

  it('says once that the event has started when every seat was refused for it', async () => {
    browserApi.createTicket.mockRejectedValue(
      new ApiError(400, [{ message: 'The event has started', field: 'eventId' }]),
    );
    render(<SellFlow initialEvent={event} />);

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '80');
    await userEvent.click(screen.getByRole('button', { name: 'List ticket' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/^The event has started$/);
    expect(alert).toHaveFocus();
  });
});

describe('the price as buyers and the seller see it', () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, QUOTE_DELAY_MS + 200));

  it('says what buyers pay and what the seller receives, as the seller types', async () => {
    render(<SellFlow initialEvent={event} />);
    const quote = screen.getByTestId('price-quote');

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '40');

    expect(await within(quote).findByText('Buyers pay $45.50 · You receive $38.00')).toBeVisible();
    expect(browserApi.quote.mock.calls).toEqual([[40]]);
    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '0');
    expect(quote).not.toHaveTextContent('$45.50');
    expect(
      await within(quote).findByText('Buyers pay $441.50 · You receive $380.00'),
    ).toBeVisible();
    expect(screen.getByLabelText('Price per ticket (USD)')).toHaveAccessibleDescription(
      expect.stringContaining('Buyers pay $441.50 · You receive $380.00'),
    );
  });

  it('shows a neutral hint, and asks for no quote, while the price is empty or invalid', async () => {
    render(<SellFlow initialEvent={event} />);
    const quote = screen.getByTestId('price-quote');
    expect(quote).toHaveTextContent('Buyers pay your price plus a service fee');

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '0.1');
    await pause();

    expect(browserApi.quote).not.toHaveBeenCalled();
    expect(quote).toHaveTextContent('Buyers pay your price plus a service fee');
  });

  it('lists the ticket all the same when no quote can be had', async () => {
    browserApi.quote.mockRejectedValue(
      new ApiError(0, [{ message: 'Could not reach the server' }]),
    );
    browserApi.createTicket.mockImplementation(async (body: Record<string, unknown>) =>
      listing(body),
    );
    render(<SellFlow initialEvent={event} />);

    await userEvent.type(screen.getByLabelText('Price per ticket (USD)'), '40');
    await pause();
    await userEvent.click(screen.getByRole('button', { name: 'List ticket' }));

    expect(screen.getByTestId('price-quote')).toHaveTextContent(
      'Buyers pay your price plus a service fee',
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(browserApi.createTicket).toHaveBeenCalledWith({ eventId: 'e1', price: 40 });
    expect(router.push).toHaveBeenCalledWith('/tickets/t1');
  });
});

describe('sorting the failures of a listing', () => {
  const started = new ApiError(400, [{ message: 'The event has started', field: 'eventId' }]);

  it('puts price messages beside the price once, and a shared reason on the form once', () => {
    const price = new ApiError(400, [{ message: 'Price is wrong', field: 'price' }]);

    expect(
      sortListingFailures(
        [
          { key: 1, error: price },
          { key: 2, error: price },
        ],
        0,
      ).shared,
    ).toEqual({
      fields: { price: ['Price is wrong'] },
      form: ['2 of 2 tickets could not be listed.'],
    });
    const outcome = sortListingFailures(
      [
        { key: 1, error: started },
        { key: 2, error: started },
      ],
      1,
    );
    expect(outcome.shared.form).toEqual([
      '2 of 3 tickets could not be listed.',
      'The event has started',
    ]);
    expect(outcome.seats.get(1)).toEqual({ fields: {}, messages: [] });
  });

  it('keeps reasons that differ beside their seats', () => {
    const busy = new ApiError(429, [{ message: 'Too many attempts' }]);

    const outcome = sortListingFailures(
      [
        { key: 1, error: started },
        { key: 4, error: busy },
      ],
      0,
    );

    expect(outcome.seats.get(4)?.messages).toEqual(['Too many attempts']);
    expect(outcome.shared.form).toEqual([
      '2 of 2 tickets could not be listed. See the seats below.',
    ]);
  });
});
