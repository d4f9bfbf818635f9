import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ErrorPage from './error';

describe('the error state', () => {
  it('says something went wrong, focuses the message and retries on request', async () => {
    const reset = jest.fn();
    render(
      <ErrorPage error={Object.assign(new Error('boom'), { digest: 'abc123' })} reset={reset} />,
    );

    expect(screen.getByRole('heading', { name: 'Something went wrong' })).toHaveFocus();
    expect(screen.getByText('Reference: abc123')).toBeInTheDocument();
    expect(screen.queryByText('boom')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reset).toHaveBeenCalled();
  });
});
