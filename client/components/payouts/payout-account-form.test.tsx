import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { PayoutAccountForm } from './payout-account-form';

jest.mock('@/lib/api/browser', () => ({ browserApi: { setPayoutAccount: jest.fn() } }));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { setPayoutAccount: jest.Mock };
};

beforeEach(() => browserApi.setPayoutAccount.mockReset());

describe('the payout account form', () => {
  it('shows the account payouts go to now', () => {
    render(<PayoutAccountForm initialAccountId="acct_1Nv0FGQ9RKHgCVdK" />);

    expect(screen.getByTestId('payout-account')).toHaveTextContent('acct_1Nv0FGQ9RKHgCVdK');
    expect(screen.getByLabelText('Stripe account ID')).toHaveValue('acct_1Nv0FGQ9RKHgCVdK');
  });

  it('saves a new account and shows it', async () => {
    browserApi.setPayoutAccount.mockResolvedValue({ stripeAccountId: 'acct_123abc' });
    render(<PayoutAccountForm initialAccountId={null} />);
    expect(screen.getByTestId('payout-account')).toHaveTextContent('No payout account');

    await userEvent.type(screen.getByLabelText('Stripe account ID'), ' acct_123abc ');
    await userEvent.click(screen.getByRole('button', { name: 'Save payout account' }));

    expect(browserApi.setPayoutAccount).toHaveBeenCalledWith({ stripeAccountId: 'acct_123abc' });
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(screen.getByTestId('payout-account')).toHaveTextContent('acct_123abc');
  });

  it("shows the service's message beside the input, focused", async () => {
    browserApi.setPayoutAccount.mockRejectedValue(
      new ApiError(400, [{ message: 'Must be a Stripe account ID', field: 'stripeAccountId' }]),
    );
    render(<PayoutAccountForm initialAccountId={null} />);

    await userEvent.type(screen.getByLabelText('Stripe account ID'), 'bank 1234');
    await userEvent.click(screen.getByRole('button', { name: 'Save payout account' }));

    const input = await screen.findByLabelText('Stripe account ID');
    expect(input).toHaveAccessibleDescription(
      expect.stringContaining('Must be a Stripe account ID'),
    );
    expect(input).toHaveFocus();
    expect(screen.queryByText('Saved.')).not.toBeInTheDocument();
  });
});
