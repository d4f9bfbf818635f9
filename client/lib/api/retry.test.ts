import { ApiError } from './errors';
import { retryWhileNotFound } from './retry';

describe('retryWhileNotFound', () => {
  it('retries a 404 until the replica has caught up', async () => {
    const call = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new ApiError(404, [{ message: 'Ticket not found' }]))
      .mockResolvedValueOnce('order');

    await expect(retryWhileNotFound(call, { delayMs: 1 })).resolves.toBe('order');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('gives up after the last attempt', async () => {
    const notFound = new ApiError(404, [{ message: 'Order not found' }]);
    const call = jest.fn<Promise<string>, []>().mockRejectedValue(notFound);

    await expect(retryWhileNotFound(call, { attempts: 3, delayMs: 1 })).rejects.toBe(notFound);
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('does not retry any other failure', async () => {
    const reserved = new ApiError(400, [{ message: 'Ticket is already reserved' }]);
    const call = jest.fn<Promise<string>, []>().mockRejectedValue(reserved);

    await expect(retryWhileNotFound(call, { delayMs: 1 })).rejects.toBe(reserved);
    expect(call).toHaveBeenCalledTimes(1);
  });
});
