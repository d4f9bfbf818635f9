import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { router, resetRouter } from '@/lib/testing/router';
import { TicketForm, checkTicketInput } from './ticket-form';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({
  browserApi: { createTicket: jest.fn(), updateTicket: jest.fn() },
}));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { createTicket: jest.Mock; updateTicket: jest.Mock };
};

beforeEach(() => {
  resetRouter();
  browserApi.createTicket.mockReset();
  browserApi.updateTicket.mockReset();
});

describe('the ticket form', () => {
  it('lists a ticket with the price as a number and opens its page', async () => {
    browserApi.createTicket.mockResolvedValue({ id: 't1' });
    render(<TicketForm />);

    await userEvent.type(screen.getByLabelText('Title'), '  Concert, row A ');
    await userEvent.type(screen.getByLabelText('Price (USD)'), '45.50');
    await userEvent.click(screen.getByRole('button', { name: 'List ticket' }));

    expect(browserApi.createTicket).toHaveBeenCalledWith({ title: 'Concert, row A', price: 45.5 });
    expect(router.push).toHaveBeenCalledWith('/tickets/t1');
  });

  it('edits a listing, starting from its current title and price', async () => {
    browserApi.updateTicket.mockResolvedValue({ id: 't1' });
    render(<TicketForm ticket={{ id: 't1', title: 'Concert', price: 20 }} />);

    const price = screen.getByLabelText('Price (USD)');
    expect(price).toHaveValue('20.00');
    await userEvent.clear(price);
    await userEvent.type(price, '25');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(browserApi.updateTicket).toHaveBeenCalledWith('t1', { title: 'Concert', price: 25 });
    expect(router.push).toHaveBeenCalledWith('/tickets/t1');
  });

  it('refuses a price the service would refuse, beside the price, focused', async () => {
    render(<TicketForm />);

    await userEvent.type(screen.getByLabelText('Title'), 'Concert');
    await userEvent.type(screen.getByLabelText('Price (USD)'), '19.999');
    await userEvent.click(screen.getByRole('button', { name: 'List ticket' }));

    const price = screen.getByLabelText('Price (USD)');
    expect(price).toHaveFocus();
    expect(price).toHaveAccessibleDescription(expect.stringContaining('at most 2 decimals'));
    expect(browserApi.createTicket).not.toHaveBeenCalled();
  });

  it("shows the service's reason when the ticket can no longer be edited", async () => {
    browserApi.updateTicket.mockRejectedValue(
      new ApiError(400, [{ message: 'Ticket is reserved' }]),
    );
    render(<TicketForm ticket={{ id: 't1', title: 'Concert', price: 20 }} />);

    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Ticket is reserved');
  });

  it('checks title and price like the tickets service', () => {
    expect(checkTicketInput('', '').fields).toEqual({
      title: ['Title is required'],
      price: ['Price is required'],
    });
    expect(checkTicketInput('x'.repeat(201), '0.49').fields).toEqual({
      title: ['Title must be 1 to 200 characters'],
      price: ['Price must be a number from 0.50 to 1,000,000 with at most 2 decimals'],
    });
    expect(checkTicketInput('ok', '1000000').fields).toEqual({});
  });
});
