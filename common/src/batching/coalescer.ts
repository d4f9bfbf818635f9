/**
 * Group commit: calls that arrive while one database command is on its way wait, then go together in
 * the next one, and each caller still gets its own outcome. Inserts and reads by key share it.
 */

/** What one item of a batch came to. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Queued<In, Out> {
  item: In;
  resolve: (value: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs `execute` over the items submitted while its previous run was on its way. The first item goes at
 * once (a lone caller waits for nothing); under load a batch holds whatever arrived meanwhile, up to
 * `maxBatch`. On the embedded engine a command costs time in proportion to the collection however many
 * documents it reads or writes, and on any engine each command costs the client a round trip and a
 * socket write, so this divides both by the batch size.
 */
export class Coalescer<In, Out> {
  private queue: Array<Queued<In, Out>> = [];
  private running = false;

  constructor(
    private readonly execute: (items: In[]) => Promise<Array<Outcome<Out>>>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let outcomes: Array<Outcome<Out>>;
        try {
          outcomes = await this.execute(batch.map((q) => q.item));
        } catch (error) {
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((q, i) => {
          const outcome = outcomes[i] ?? {
            ok: false,
            error: new Error('no outcome for this item'),
          };
          if (outcome.ok) q.resolve(outcome.value);
          else q.reject(outcome.error);
        });
      }
    } finally {
      this.running = false;
    }
  }
}

/** A coalescer per key of an object (a collection), made on first use. */
export function coalescersBy<K extends object, In, Out>(
  make: (key: K) => Coalescer<In, Out>,
): (key: K) => Coalescer<In, Out> {
  const made = new WeakMap<K, Coalescer<In, Out>>();
  return (key) => {
    let coalescer = made.get(key);
    if (!coalescer) made.set(key, (coalescer = make(key)));
    return coalescer;
  };
}
