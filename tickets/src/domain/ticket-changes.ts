import mongoose from 'mongoose';
import { withOutbox, type OutboxTransaction } from '@ticketing/common';

/** Attempts of one change before a concurrency conflict is given up (and the caller's error surfaces). */
export const MAX_CHANGE_ATTEMPTS = 3;

/**
 * Runs tasks with the same key one after another, in call order; tasks with different keys run
 * concurrently. A failing task does not stop the ones queued behind it.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

const changesByTicket = new KeyedSerializer();

/**
 * A save that lost a race: the version it read is gone (`mongoose-update-if-current` found no document
 * with it), or MongoDB aborted the transaction on a write conflict with another one.
 */
export function isConcurrencyConflict(err: unknown): boolean {
  if (err instanceof mongoose.Error.VersionError) return true;
  const mongoError = err as
    { code?: unknown; hasErrorLabel?: (label: string) => boolean } | null | undefined;
  return (
    mongoError?.code === 112 || // WriteConflict
    mongoError?.hasErrorLabel?.('TransientTransactionError') === true
  );
}

/**
 * The one way a ticket changes after it is created: `work` re-reads the ticket with `tx.session`, decides,
 * saves with the version check and records its `ticket.updated` — all in one transaction (`withOutbox`),
 * so the state and its event commit together. `work` may run more than once.
 *
 * Two writers racing on one ticket (a seller's price edit and an `order.created` lock, seed 002) must
 * never both win:
 * - across replicas, MongoDB aborts one transaction on the write conflict, or the version check fails
 *   (VersionError); the loser runs `work` again, and its re-read sees the winner's change;
 * - within one process, changes of one ticket are queued one behind the other. Besides saving those
 *   wasted attempts, this keeps the embedded engine (jongodb, ADR 003) correct by itself: its
 *   transactions do not detect write-write conflicts on updates (the last commit silently replaces the
 *   document, version check or not), so without a queue both writers would win there.
 */
export function changeTicket<T>(
  ticketId: string,
  work: (tx: OutboxTransaction) => Promise<T>,
): Promise<T> {
  return changesByTicket.run(ticketId, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withOutbox(work);
      } catch (err) {
        if (attempt >= MAX_CHANGE_ATTEMPTS || !isConcurrencyConflict(err)) throw err;
      }
    }
  });
}
