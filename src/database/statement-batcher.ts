/**
 * Runs many small requests of one kind as few statements (group commit, DataLoader-style): at most
 * `inFlight` statements are at the database at once; requests that come meanwhile wait here and go
 * together, up to `maxBatch` to a statement, when one returns. Alone, a request goes straight
 * through; under load, one round trip (and, for writes, one commit) serves many. `execute` runs one
 * statement for a batch and returns one result per item, in order. When it fails, each item of the
 * batch is run again alone, so that only the item at fault gets the error.
 *
 * `key`, when given, names what an item's statement locks (a booking's session): two statements
 * of one batcher never hold the same key at once, so they never wait for each other; an item whose
 * key a running statement holds waits for the next one, keeping its place among items of its key.
 */
export class StatementBatcher<I, O> {
  private readonly waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;
  /** The keys the running statements hold. */
  private readonly held = new Set<string>();

  constructor(
    private readonly execute: (items: I[]) => Promise<O[]>,
    readonly inFlight: number,
    readonly maxBatch = 100,
    private readonly key?: (item: I) => string,
  ) {}

  /** Requests waiting for a statement (for operators and tests). */
  get queued(): number {
    return this.waiting.length;
  }

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.send();
    });
  }

  private send(): void {
    while (this.running < this.inFlight && this.waiting.length > 0) {
      const batch = this.next();
      if (batch.length === 0) return;
      const keys = this.key ? [...new Set(batch.map((one) => this.key!(one.item)))] : [];
      for (const key of keys) this.held.add(key);
      this.running++;
      void this.run(batch).finally(() => {
        for (const key of keys) this.held.delete(key);
        this.running--;
        this.send();
      });
    }
  }

  /** The waiting requests, in order, up to `maxBatch`, but for those whose key is held. */
  private next(): typeof this.waiting {
    if (!this.key) return this.waiting.splice(0, this.maxBatch);
    const batch: typeof this.waiting = [];
    const rest: typeof this.waiting = [];
    for (const one of this.waiting) {
      if (batch.length < this.maxBatch && !this.held.has(this.key(one.item))) batch.push(one);
      else rest.push(one);
    }
    this.waiting.length = 0;
    for (const one of rest) this.waiting.push(one);
    return batch;
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    let results: O[];
    try {
      results = await this.execute(batch.map((one) => one.item));
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      else await Promise.all(batch.map((one) => this.run([one])));
      return;
    }
    batch.forEach((one, i) => one.resolve(results[i]));
  }
}
