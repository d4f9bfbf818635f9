import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, toFormErrors } from '@/lib/api/errors';
import { PaymentForm } from './payment-form';

jest.mock('@stripe/stripe-js', () => ({ loadStripe: jest.fn(() => Promise.resolve(null)) }));
jest.mock('@stripe/react-stripe-js', () => ({
  Elements: ({ children }: { children: React.ReactNode }) => (
    <div data-testid="stripe-elements">{children}</div>
  ),
  CardElement: () => <div data-testid="stripe-card" />,
  useStripe: () => null,
  useElements: () => null,
}));
const { loadStripe } = jest.requireMock('@stripe/stripe-js') as { loadStripe: jest.Mock };

/** A $20.00 ticket with the default fee (10 % + $1.50). */
const AMOUNT = { price: 20, fee: 3.5, total: 23.5 };

async function fillCard(card: string) {
  await userEvent.type(screen.getByLabelText('Card number'), card);
  await userEvent.type(screen.getByLabelText('Expiry (MM / YY)'), '12 / 40');
  await userEvent.type(screen.getByLabelText('CVC'), '123');
  await userEvent.click(screen.getByRole('button', { name: 'Pay $23.50' }));
}

beforeEach(() => loadStripe.mockClear());

describe('the payment form without a Stripe key', () => {
  it('says it is a test mode and lists the test cards', () => {
    render(<PaymentForm stripeKey={null} amount={AMOUNT} pay={jest.fn()} />);

    expect(screen.getByRole('note')).toHaveTextContent('TEST MODE');
    expect(screen.getByRole('note')).toHaveTextContent('4242 4242 4242 4242');
    expect(screen.getByRole('note')).toHaveTextContent('4000 0000 0000 0002');
    expect(loadStripe).not.toHaveBeenCalled();
  });

  it('shows the price, the fee and the total before the button, which states the total', () => {
    render(<PaymentForm stripeKey={null} amount={AMOUNT} pay={jest.fn()} />);

    const rows = screen.getByTestId('price-summary');
    expect(rows).toHaveTextContent('Ticket price$20.00Service fee$3.50Total$23.50');
    expect(screen.getByRole('button', { name: 'Pay $23.50' })).toBeEnabled();
  });

  it.each([
    ['4242 4242 4242 4242', 'tok_visa'],
    ['4000000000000002', 'tok_chargeDeclined'],
  ])('pays with %s as %s', async (card, token) => {
    const pay = jest.fn().mockResolvedValue(null);
    render(<PaymentForm stripeKey={null} amount={AMOUNT} pay={pay} />);

    await fillCard(card);

    expect(pay).toHaveBeenCalledWith(token);
  });

  it('refuses any other card beside the card number, focused, without paying', async () => {
    const pay = jest.fn();
    render(<PaymentForm stripeKey={null} amount={AMOUNT} pay={pay} />);

    await fillCard('5555 5555 5555 4444');

    const card = screen.getByLabelText('Card number');
    expect(card).toHaveAccessibleDescription('Test mode accepts only the test cards listed above');
    expect(card).toHaveFocus();
    expect(pay).not.toHaveBeenCalled();
  });

  it('shows a decline beside the card number', async () => {
    const declined = new ApiError(400, [{ message: 'Your card was declined', field: 'token' }]);
    const pay = jest.fn().mockResolvedValue(toFormErrors(declined, ['card'], { token: 'card' }));
    render(<PaymentForm stripeKey={null} amount={AMOUNT} pay={pay} />);

    await fillCard('4000 0000 0000 0002');

    await waitFor(() =>
      expect(screen.getByLabelText('Card number')).toHaveAccessibleDescription(
        'Your card was declined',
      ),
    );
  });
});

describe('the payment form with a Stripe key', () => {
  it('loads Stripe Elements with the key instead of the test form', async () => {
    render(<PaymentForm stripeKey="pk_test_123" amount={AMOUNT} pay={jest.fn()} />);

    expect(await screen.findByTestId('stripe-card')).toBeInTheDocument();
    expect(loadStripe).toHaveBeenCalledWith('pk_test_123');
    expect(screen.queryByText('TEST MODE')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Card number')).not.toBeInTheDocument();
    expect(screen.getByTestId('price-summary')).toHaveTextContent('Total$23.50');
  });
});
