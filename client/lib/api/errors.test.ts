import { AxiosError, AxiosHeaders } from 'axios';
import { ApiError, hasErrors, toApiError, toFormErrors } from './errors';

function axiosFailure(status: number, data: unknown) {
  const headers = new AxiosHeaders();
  return new AxiosError('Request failed', 'ERR_BAD_REQUEST', { headers }, null, {
    status,
    statusText: '',
    headers: {},
    config: { headers },
    data,
  });
}

describe('mapping {errors} to a form', () => {
  it("puts each message beside the form's field it names and the rest on the form", () => {
    const err = new ApiError(400, [
      { message: 'Email in use', field: 'email' },
      { message: 'Too many attempts' },
      { message: 'Unknown thing', field: 'somethingElse' },
    ]);

    const result = toFormErrors(err, ['email', 'password']);

    expect(result).toEqual({
      fields: { email: ['Email in use'] },
      form: ['Too many attempts', 'Unknown thing'],
    });
    expect(hasErrors(result)).toBe(true);
  });

  it('maps an API field to the input the user filled in', () => {
    const err = new ApiError(400, [{ message: 'Your card was declined', field: 'token' }]);

    expect(toFormErrors(err, ['card'], { token: 'card' }).fields).toEqual({
      card: ['Your card was declined'],
    });
  });

  it('reads the error shape from an axios failure', () => {
    const err = toApiError(axiosFailure(400, { errors: [{ message: 'Invalid credentials' }] }));

    expect(err.status).toBe(400);
    expect(err.errors).toEqual([{ message: 'Invalid credentials' }]);
  });

  it('ignores malformed entries and falls back to a message for the status', () => {
    const err = toApiError(axiosFailure(401, { errors: [{ nope: true }, 'text'] }));

    expect(err.errors).toEqual([{ message: 'Please sign in first.' }]);
  });

  it('turns anything else thrown into a generic message', () => {
    expect(toApiError(new TypeError('x')).errors[0]?.message).toMatch(/something went wrong/i);
  });
});
