import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '@/lib/api/errors';
import { router, resetRouter } from '@/lib/testing/router';
import { AuthForm } from './auth-form';

jest.mock('next/navigation', () => ({
  useRouter: () => jest.requireActual('@/lib/testing/router').router,
}));
jest.mock('@/lib/api/browser', () => ({ browserApi: { signUp: jest.fn(), signIn: jest.fn() } }));
const { browserApi } = jest.requireMock('@/lib/api/browser') as {
  browserApi: { signUp: jest.Mock; signIn: jest.Mock };
};

beforeEach(() => {
  resetRouter();
  browserApi.signUp.mockReset();
  browserApi.signIn.mockReset();
});

describe('the sign-up form', () => {
  it('signs up, then goes where the user was headed with the header refreshed', async () => {
    browserApi.signUp.mockResolvedValue({ id: 'u1', email: 'ann@example.com' });
    render(<AuthForm mode="signup" next="/tickets/new" />);

    await userEvent.type(screen.getByLabelText('Email address'), ' ann@example.com ');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    expect(browserApi.signUp).toHaveBeenCalledWith({
      email: 'ann@example.com',
      password: 'correct horse',
    });
    expect(router.replace).toHaveBeenCalledWith('/tickets/new');
    expect(router.refresh).toHaveBeenCalled();
  });

  it('shows what is missing beside each field and focuses the first one, without asking the server', async () => {
    render(<AuthForm mode="signup" next="/" />);

    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    const email = screen.getByLabelText('Email address');
    expect(email).toHaveAccessibleDescription('Enter your email address');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      expect.stringContaining('Password must be at least 8 characters'),
    );
    expect(browserApi.signUp).not.toHaveBeenCalled();
  });

  it("shows the service's field error beside that field and focuses it", async () => {
    browserApi.signUp.mockRejectedValue(
      new ApiError(400, [{ message: 'Email in use', field: 'email' }]),
    );
    render(<AuthForm mode="signup" next="/" />);

    await userEvent.type(screen.getByLabelText('Email address'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign up' }));

    const email = await screen.findByLabelText('Email address');
    expect(email).toHaveAccessibleDescription('Email in use');
    expect(email).toHaveFocus();
    expect(router.replace).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Sign up' })).toBeEnabled();
  });
});

describe('the sign-in form', () => {
  it('shows an error that names no field above the form, and focuses it', async () => {
    browserApi.signIn.mockRejectedValue(new ApiError(400, [{ message: 'Invalid credentials' }]));
    render(<AuthForm mode="signin" next="/" />);

    await userEvent.type(screen.getByLabelText('Email address'), 'ann@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Invalid credentials');
    expect(alert).toHaveFocus();
  });

  it('uses the browser password manager hints', () => {
    render(<AuthForm mode="signin" next="/" />);

    expect(screen.getByLabelText('Email address')).toHaveAttribute('autocomplete', 'email');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
  });
});
