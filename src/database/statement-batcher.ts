/**
 * Runs many small requests of one kind as few statements (group commit, DataLoader-style): at most
 * `inFlight` statements are at the database at once; requests that come meanwhile wait here and go
 * together, up to `maxBatch` to a statement, when one returns. Alone, a request goes straight
 * through; under load, one round trip (and, for writes, one commit) serves many. `execute` runs one
 * statement for a batch and returns one result per item, in order.
 *
 * When a statement fails, its batch is split in two halves that go back to the head of the queue,
 * each to be sent as a statement of its own (and halved again if it fails), until the item at fault
 * is alone and gets the error: the retries go through the same bound and keys as everything else,
 * so one bad item in a batch of n costs about 2·log2(n) statements, never n at once. A statement
 * that answers with a different number of results than it had items is a bug: every item of it is
 * rejected (not retried, since what it wrote cannot be known).
 *
 * `key`, when given, names what an item's statement locks (a booking's session): two statements
 * of one batcher never hold the same key at once, so they never wait for each other; an item whose
 * key a running statement holds waits for the next one, keeping its place among items of its key.
 */
export class StatementBatcher<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
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
      const keys = this.keysOf(batch);
      for (const key of keys) this.held.add(key);
      this.running++;
      void this.run(batch).finally(() => {
        for (const key of keys) this.held.delete(key);
        this.running--;
        this.send();
      });
    }
  }

  private keysOf(batch: Waiting<I, O>[]): string[] {
    return this.key ? [...new Set(batch.map((one) => this.key!(one.item)))] : [];
  }

  /**
   * The next statement's requests: a retried half (`retry` set) goes alone, as it was split; else
   * the waiting requests in order, up to `maxBatch`, but for those whose key is held.
   */
  private next(): Waiting<I, O>[] {
    const free = (one: Waiting<I, O>) => !this.key || !this.held.has(this.key(one.item));
    // Keys of halves that must wait: the requests of those keys behind them wait too (keep their place).
    const blocked = new Set<string>();
    for (const one of this.waiting) {
      if (!one.retry) continue;
      const half = this.waiting.filter((other) => other.retry === one.retry);
      if (half.every(free)) {
        this.remove(new Set(half));
        return half;
      }
      for (const key of this.keysOf(half)) blocked.add(key);
    }
    const batch: Waiting<I, O>[] = [];
    for (const one of this.waiting) {
      if (batch.length === this.maxBatch) break;
      if (!one.retry && free(one) && !(this.key && blocked.has(this.key(one.item)))) batch.push(one);
    }
    this.remove(new Set(batch));
    return batch;
  }

  private remove(taken: Set<Waiting<I, O>>): void {
    const rest = this.waiting.filter((one) => !taken.has(one));
    this.waiting.length = 0;
    this.waiting.push(...rest);
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.execute(batch.map((one) => one.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Back to the head of the queue, in two halves that each go as one statement (see next()).
      const middle = Math.ceil(batch.length / 2);
      const halves = [batch.slice(0, middle), batch.slice(middle)].map((half) => {
        const retry = Symbol('retry');
        return half.map((one) => ({ ...one, retry }));
      });
      this.waiting.unshift(...halves[0], ...halves[1]);
      return;
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      const error = new Error(`StatementBatcher: ${Array.isArray(results) ? results.length : 'no'} results for ${batch.length} items`);
      for (const one of batch) one.reject(error);
      return;
    }
    batch.forEach((one, i) => one.resolve(results[i]));
  }
}

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
  /** Set on the items of a failed batch's half: they go together, alone, as the next try. */
  retry?: symbol;
}
