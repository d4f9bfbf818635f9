import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { router, resetRouter } from '@/lib/testing/router';
import { TicketForm } from './ticket-form';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({
  browserApi: { updateTicket: jest.fn(), quote: jest.fn() },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { updateTicket: jest.Mock; quote: jest.Mock };
};

const listing = { id: 't1', title: 'Concert — Row A', price: 20, row: 'A', seat: '7' };

beforeEach(() => {
  resetRouter();
  browserApi.updateTicket.mockReset();
  browserApi.quote.mockReset();
  browserApi.quote.mockImplementation(async (price: number) => ({
    price,
    fee: 3.5,
    total: price + 3.5,
    sellerFee: 1,
    payout: price - 1,
  }));
});

describe('the edit listing form', () => {
  it('starts from the listing and sends price, title and seat, an emptied part cleared', async () => {
    browserApi.updateTicket.mockResolvedValue({ id: 't1' });
    render(<TicketForm ticket={listing} />);

    const price = screen.getByLabelText('Price (USD)');
    expect(price).toHaveValue('20.00');
    expect(screen.getByLabelText('Row')).toHaveValue('A');
    await userEvent.clear(price);
    await userEvent.type(price, '25');
    await userEvent.type(screen.getByLabelText('Section'), ' 101 ');
    await userEvent.clear(screen.getByLabelText('Seat'));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(browserApi.updateTicket).toHaveBeenCalledWith('t1', {
      price: 25,
      title: 'Concert — Row A',
      section: '101',
      row: 'A',
      seat: '',
    });
    expect(router.push).toHaveBeenCalledWith('/tickets/t1');
  });

  it('says what buyers pay and what the seller receives at the current price, then at a new one', async () => {
    render(<TicketForm ticket={listing} />);

    const quote = screen.getByTestId('price-quote');
    expect(await within(quote).findByText('Buyers pay $23.50 · You receive $19.00')).toBeVisible();
    const price = screen.getByLabelText('Price (USD)');
    await userEvent.clear(price);
    await userEvent.type(price, '30');

    expect(await within(quote).findByText('Buyers pay $33.50 · You receive $29.00')).toBeVisible();
    expect(browserApi.quote).toHaveBeenLastCalledWith(30);
  });

  it('refuses a price the service would refuse, beside the price, focused', async () => {
    render(<TicketForm ticket={listing} />);

    const price = screen.getByLabelText('Price (USD)');
    await userEvent.clear(price);
    await userEvent.type(price, '19.999');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(price).toHaveFocus();
    expect(price).toHaveAccessibleDescription(expect.stringContaining('at most 2 decimals'));
    expect(browserApi.updateTicket).not.toHaveBeenCalled();
  });

  it("shows the service's seat message beside the seat", async () => {
    browserApi.updateTicket.mockRejectedValue(
      new ApiError(400, [{ message: 'Row must be at most 20 characters', field: 'row' }]),
    );
    render(<TicketForm ticket={listing} />);

    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    const row = await screen.findByLabelText('Row');
    expect(row).toHaveAccessibleDescription('Row must be at most 20 characters');
    expect(row).toHaveFocus();
  });

  it("shows the service's reason when the listing can no longer be edited", async () => {
    browserApi.updateTicket.mockRejectedValue(
      new ApiError(400, [{ message: 'The event has started' }]),
    );
    render(<TicketForm ticket={listing} />);

    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The event has started');
  });
});
