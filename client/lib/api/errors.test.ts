import { AxiosError, AxiosHeaders } from 'axios';
import { ApiError, describeWait, hasErrors, toApiError, toFormErrors } from './errors';

function axiosFailure(status: number, data: unknown, responseHeaders: Record<string, string> = {}) {
  const headers = new AxiosHeaders();
  return new AxiosError('Request failed', 'ERR_BAD_REQUEST', { headers }, null, {
    status,
    statusText: '',
    headers: responseHeaders,
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

  it("reads how long a 429 asks to wait from Retry-After, and tells the form's user", () => {
    const err = toApiError(
      axiosFailure(
        429,
        { errors: [{ message: 'Too many failed attempts, try again later' }] },
        {
          'retry-after': '900',
        },
      ),
    );

    expect(err.retryAfterSeconds).toBe(900);
    expect(toFormErrors(err, ['password']).form).toEqual([
      'Too many failed attempts, try again later',
      'You can try again in 15 minutes.',
    ]);
  });

  it('says nothing of waiting when Retry-After is missing or a date', () => {
    const dated = toApiError(
      axiosFailure(429, {}, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }),
    );

    expect(dated.retryAfterSeconds).toBeUndefined();
    expect(toFormErrors(dated, []).form).toEqual(['Too many attempts. Please wait and try again.']);
  });

  it('describes a wait in seconds under a minute, else in whole minutes rounded up', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(45)).toBe('45 seconds');
    expect(describeWait(60)).toBe('1 minute');
    expect(describeWait(61)).toBe('2 minutes');
  });

  it('turns anything else thrown into a generic message', () => {
    expect(toApiError(new TypeError('x')).errors[0]?.message).toMatch(/something went wrong/i);
  });
});
