/**
 * Runs many small requests of one kind as few statements (group commit, DataLoader-style): at most
 * `inFlight` statements are at the database at once; requests that come meanwhile wait here and go
 * together, up to `maxBatch` to a statement, when one returns. Alone, a request goes straight
 * through; under load, one round trip (and, for writes, one commit) serves many. `execute` runs one
 * statement for a batch and returns one result per item, in order. When it fails, each item of the
 * batch is run again alone, so that only the item at fault gets the error.
 */
export class StatementBatcher<I, O> {
  private readonly waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly execute: (items: I[]) => Promise<O[]>,
    readonly inFlight: number,
    readonly maxBatch = 100,
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
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.send();
      });
    }
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
