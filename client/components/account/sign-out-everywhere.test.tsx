import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { router, resetRouter } from '@/lib/testing/router';
import { SignOutEverywhere } from './sign-out-everywhere';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({ browserApi: { signOutEverywhere: jest.fn() } }));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { signOutEverywhere: jest.Mock };
};

beforeEach(() => {
  resetRouter();
  browserApi.signOutEverywhere.mockReset();
});

describe('signing out everywhere', () => {
  it('explains what the button does', () => {
    render(<SignOutEverywhere />);

    expect(screen.getByRole('button', { name: 'Sign out everywhere' })).toHaveAccessibleDescription(
      'Signs out every other browser and device; you stay signed in here.',
    );
  });

  it('ends the other sessions and says this one stays signed in', async () => {
    browserApi.signOutEverywhere.mockResolvedValue({ id: 'u1', email: 'ann@example.com' });
    render(<SignOutEverywhere />);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    expect(browserApi.signOutEverywhere).toHaveBeenCalledTimes(1);
    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent(
      'Every other session has been signed out. You are still signed in here.',
    );
    expect(screen.getByText(/Every other session has been signed out/)).toHaveFocus();
    expect(router.refresh).not.toHaveBeenCalled();
  });

  it("shows a failure in the service's words, focused, and the button can be pressed again", async () => {
    browserApi.signOutEverywhere.mockRejectedValue(
      new ApiError(503, [{ message: 'The service is not available right now. Please try again.' }]),
    );
    render(<SignOutEverywhere />);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out everywhere' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The service is not available right now. Please try again.');
    expect(alert).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Sign out everywhere' })).toBeEnabled();
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });
});
