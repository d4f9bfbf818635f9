/**
 * Counts the application requests whose response has not finished yet, so a stopping service can let
 * them finish (and the relay publish the events they wrote) before it releases Mongo and NATS.
 */
import type { ServerResponse } from 'node:http';

export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  track(res: ServerResponse): void {
    this.count += 1;
    res.once('close', () => {
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  settled(): Promise<void> {
    return this.count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push(resolve));
  }
}
