/**
 * The operator's relay lever: `kill -USR2 <pid>` pauses this process's event relay (writes go on; their
 * events wait in their documents), the next `kill -USR2` resumes it and the backlog goes out. HTTP and
 * the listeners are untouched. Used by the fault-injection suite; a graceful stop resumes and flushes.
 */
import type { Logger } from '../logger/logger';
import type { EventRelay } from '../pending-events/relay';

export class RelayLever {
  private pauseWanted = false;
  /** Set once the service has started: its relay, if it has one. */
  private started?: { relay?: EventRelay };

  constructor(private readonly logger: Logger) {}

  /**
   * Listens for SIGUSR2. Installed before the start so an early signal never hits Node's default
   * action for SIGUSR2, which is to exit; a pause asked for during the start applies once it is up.
   */
  install(): this {
    process.on('SIGUSR2', () => {
      this.pauseWanted = !this.pauseWanted;
      if (this.started) this.apply();
    });
    return this;
  }

  /** The service is up: from now on the lever moves `relay` (a pause already asked for, at once). */
  attach(relay: EventRelay | undefined): void {
    this.started = { relay };
    if (this.pauseWanted) this.apply();
  }

  private apply(): void {
    const relay = this.started?.relay;
    if (!relay) {
      this.logger.warn('SIGUSR2: this service has no event relay; nothing to pause');
      return;
    }
    if (this.pauseWanted) {
      relay.pause();
      this.logger.warn(
        'SIGUSR2: event relay paused; events stay pending in their documents until the next SIGUSR2',
      );
    } else {
      relay.resume();
      this.logger.warn('SIGUSR2: event relay resumed; publishing the backlog');
    }
  }
}
