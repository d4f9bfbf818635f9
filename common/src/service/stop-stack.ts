/**
 * What a start-up has brought up, as a stack of stop functions. Each step pushes its stop as its
 * resource comes up; unwinding pops them in reverse, so whatever started last stops first, and a
 * start-up that fails half-way releases exactly what it had started, with no flag per resource.
 */

export type StopFunction = () => Promise<unknown> | void;

export class StopStack {
  private readonly stops: StopFunction[] = [];

  push(stop: StopFunction): void {
    this.stops.push(stop);
  }

  /** Runs every stop, last pushed first; a stop that fails ends the unwinding with its error. */
  async unwind(): Promise<void> {
    for (let stop = this.stops.pop(); stop; stop = this.stops.pop()) await stop();
  }
}
