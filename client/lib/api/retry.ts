import { ApiError } from './errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Services learn of each other's data through events, a few milliseconds after it is written: an order
 * for a ticket listed a moment ago, or a payment for an order placed a moment ago, can meet a 404 from a
 * replica that has not caught up yet. Such a 404 is retried briefly; any other answer is final.
 */
export async function retryWhileNotFound<T>(
  call: () => Promise<T>,
  { attempts = 6, delayMs = 500 }: { attempts?: number; delayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404 || attempt >= attempts) throw err;
      await sleep(delayMs);
    }
  }
}
