/**
 * A task run at start-up and then on a timer, one run at a time, stopped after the run under way.
 */
import type { Logger } from '@ticketing/common';

export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  /** `run` every `intervalMs`; a failure is logged as `failure` and the next tick tries again. */
  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly failure: string,
  ) {}

  start(): void {
    if (this.timer) return;
    this.kick();
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.run()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn({ err }, this.failure))
      .finally(() => {
        this.running = undefined;
      });
  }
}
