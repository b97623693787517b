import { StatementBatcher } from './statement-batcher.js';

/** A statement the test completes by hand: each call records its batch and waits for `finish`. */
function controllableStatements() {
  const calls: { items: number[]; finish: (error?: Error) => void }[] = [];
  const execute = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, finish: (error) => (error ? reject(error) : resolve(items.map((n) => `r${n}`))) });
    });
  return { calls, execute };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('sends a request at once while a statement slot is free', async () => {
    const { calls, execute } = controllableStatements();
    const batcher = new StatementBatcher(execute, 2);
    const answer = batcher.submit(1);
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0].finish();
    await expect(answer).resolves.toBe('r1');
  });

  it('keeps at most `inFlight` statements running; the requests that wait meanwhile go together, in order, when one returns', async () => {
    const { calls, execute } = controllableStatements();
    const batcher = new StatementBatcher(execute, 2);
    const answers = [1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n));
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    expect(batcher.queued).toBe(4);
    calls[1].finish();
    await settle();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4, 5, 6]]);
    expect(batcher.queued).toBe(0);
    calls[0].finish();
    calls[2].finish();
    await expect(Promise.all(answers)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('puts no more than `maxBatch` requests in one statement', async () => {
    const { calls, execute } = controllableStatements();
    const batcher = new StatementBatcher(execute, 1, 3);
    const answers = [1, 2, 3, 4, 5, 6, 7].map((n) => batcher.submit(n));
    calls[0].finish();
    await settle();
    calls[1].finish();
    await settle();
    calls[2].finish();
    await expect(Promise.all(answers)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
  });

  it('when a batch fails, runs each of its requests alone: only the one at fault gets the error', async () => {
    const calls: number[][] = [];
    const batcher = new StatementBatcher(async (items: number[]) => {
      calls.push(items);
      if (items.includes(3)) throw new Error('duplicate');
      return items.map((n) => n * 10);
    }, 1);
    const blocker = batcher.submit(0);
    const answers = [1, 2, 3, 4].map((n) => batcher.submit(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await blocker;
    expect(await Promise.all(answers)).toEqual([{ value: 10 }, { value: 20 }, { error: 'duplicate' }, { value: 40 }]);
    expect(calls).toEqual([[0], [1, 2, 3, 4], [1], [2], [3], [4]]);
  });

  it('a statement that fails for a request alone rejects that request', async () => {
    const batcher = new StatementBatcher<number, number>(async () => {
      throw new Error('no database');
    }, 4);
    await expect(batcher.submit(1)).rejects.toThrow('no database');
    expect(batcher.queued).toBe(0);
  });

  it('with a key, never runs two statements holding the same key: an item waits for its key, the others go by it in order', async () => {
    const calls: { items: string[]; finish: () => void }[] = [];
    const batcher = new StatementBatcher(
      (items: string[]) => new Promise<string[]>((resolve) => calls.push({ items, finish: () => resolve(items) })),
      2,
      100,
      (item) => item[0],
    );
    const answers = ['x1', 'x2', 'y1', 'x3', 'y2', 'z1'].map((item) => batcher.submit(item));
    // x1 takes x; x2 waits for it; y1 goes in the second statement.
    expect(calls.map((c) => c.items)).toEqual([['x1'], ['y1']]);
    calls[1].finish();
    await settle();
    // y is free again, x still held: the next statement takes the rest but the x items.
    expect(calls.map((c) => c.items)).toEqual([['x1'], ['y1'], ['y2', 'z1']]);
    expect(batcher.queued).toBe(2);
    calls[0].finish();
    await settle();
    expect(calls.map((c) => c.items)).toEqual([['x1'], ['y1'], ['y2', 'z1'], ['x2', 'x3']]);
    calls[2].finish();
    calls[3].finish();
    await expect(Promise.all(answers)).resolves.toEqual(['x1', 'x2', 'y1', 'x3', 'y2', 'z1']);
  });
});
