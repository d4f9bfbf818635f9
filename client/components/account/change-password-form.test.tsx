import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { router, resetRouter } from '@/lib/testing/router';
import { ChangePasswordForm } from './change-password-form';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({ browserApi: { changePassword: jest.fn() } }));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { changePassword: jest.Mock };
};

const CHANGED = 'Password changed. Other sessions have been signed out.';

async function changePassword(current: string, next: string) {
  if (current) await userEvent.type(screen.getByLabelText('Current password'), current);
  if (next) await userEvent.type(screen.getByLabelText('New password'), next);
  await userEvent.click(screen.getByRole('button', { name: 'Change password' }));
}

beforeEach(() => {
  resetRouter();
  browserApi.changePassword.mockReset();
});

describe('the change password form', () => {
  it('changes the password, says other sessions were signed out and clears the form', async () => {
    browserApi.changePassword.mockResolvedValue({ id: 'u1', email: 'ann@example.com' });
    render(<ChangePasswordForm />);

    await changePassword('correct horse', 'battery staple');

    expect(browserApi.changePassword).toHaveBeenCalledWith({
      currentPassword: 'correct horse',
      newPassword: 'battery staple',
    });
    const done = await screen.findByText(CHANGED);
    expect(screen.getByRole('status')).toHaveTextContent(CHANGED);
    expect(done).toHaveFocus();
    expect(screen.getByLabelText('Current password')).toHaveValue('');
    expect(screen.getByLabelText('New password')).toHaveValue('');
  });

  it('checks both fields before asking the service, focusing the first one at fault', async () => {
    render(<ChangePasswordForm />);

    await changePassword('', 'short');

    const current = screen.getByLabelText('Current password');
    expect(current).toHaveAccessibleDescription('Enter your current password');
    expect(current).toHaveFocus();
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(
      expect.stringContaining('Password must be at least 8 characters'),
    );
    expect(browserApi.changePassword).not.toHaveBeenCalled();
  });

  it("shows the service's field error beside that field, focused, and no success", async () => {
    browserApi.changePassword.mockRejectedValue(
      new ApiError(400, [{ message: 'Current password is incorrect', field: 'currentPassword' }]),
    );
    render(<ChangePasswordForm />);

    await changePassword('not it at all', 'battery staple');

    const current = await screen.findByLabelText('Current password');
    expect(current).toHaveAccessibleDescription('Current password is incorrect');
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveFocus();
    expect(screen.queryByText(CHANGED)).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Change password' })).toBeEnabled();
  });

  it('after too many failures says so above the form with how long to wait, focused', async () => {
    browserApi.changePassword.mockRejectedValue(
      new ApiError(429, [{ message: 'Too many failed attempts, try again later' }], 900),
    );
    render(<ChangePasswordForm />);

    await changePassword('guess number 11', 'battery staple');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many failed attempts, try again later');
    expect(alert).toHaveTextContent('You can try again in 15 minutes.');
    expect(alert).toHaveFocus();
    expect(screen.queryByText(CHANGED)).not.toBeInTheDocument();
  });

  it('when this session was ended elsewhere, renders the page again (which asks to sign in)', async () => {
    browserApi.changePassword.mockRejectedValue(new ApiError(401, [{ message: 'Not authorized' }]));
    render(<ChangePasswordForm />);

    await changePassword('correct horse', 'battery staple');

    expect(await screen.findByRole('alert')).toHaveTextContent('Not authorized');
    expect(router.refresh).toHaveBeenCalled();
  });
});
