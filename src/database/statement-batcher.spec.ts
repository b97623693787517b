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

  it('when a batch fails, tries it again in halves until the request at fault is alone: only it gets the error', async () => {
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
    expect(calls).toEqual([[0], [1, 2, 3, 4], [1, 2], [3, 4], [3], [4]]);
  });

  it('one bad request in a batch of 50: the retries keep to the in-flight bound, and every other request is answered once', async () => {
    let running = 0;
    let most = 0;
    const calls: number[][] = [];
    const batcher = new StatementBatcher(async (items: number[]) => {
      calls.push(items);
      running++;
      most = Math.max(most, running);
      await settle();
      running--;
      if (items.includes(37)) throw new Error('duplicate');
      return items.map((n) => n * 10);
    }, 2);
    const blockers = [batcher.submit(-1), batcher.submit(-2)];
    const answers = Array.from({ length: 50 }, (_, n) => batcher.submit(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await Promise.all(blockers);
    expect(await Promise.all(answers)).toEqual(Array.from({ length: 50 }, (_, n) => (n === 37 ? { error: 'duplicate' } : { value: n * 10 })));
    expect(most).toBe(2);
    // The batch of 50, then halves: about 2·log2(50) statements, not 50.
    expect(calls.length).toBeLessThanOrEqual(2 + 1 + 2 * Math.ceil(Math.log2(50)));
    // Each other request was in exactly one statement that succeeded.
    const succeeded = calls.filter((items) => !items.includes(37)).flat().filter((n) => n >= 0);
    expect(succeeded.sort((a, b) => a - b)).toEqual(Array.from({ length: 49 }, (_, n) => (n < 37 ? n : n + 1)));
  });

  it('retried halves keep to the keys: a half waits while its key is held, and later requests of that key wait behind it', async () => {
    const calls: { items: string[]; finish: (error?: Error) => void }[] = [];
    const batcher = new StatementBatcher(
      (items: string[]) =>
        new Promise<string[]>((resolve, reject) => calls.push({ items, finish: (error) => (error ? reject(error) : resolve(items)) })),
      2,
      100,
      (item) => item[0],
    );
    const answers = ['y0', 'z0', 'x1', 'x2'].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    calls[1].finish();
    await settle();
    expect(calls.map((c) => c.items)).toEqual([['y0'], ['z0'], ['x1', 'x2']]);
    const late = batcher.submit('x3');
    calls[2].finish(new Error('bad'));
    await settle();
    // The halves [x1] then [x2], one at a time (one key); x3 waits behind both.
    expect(calls.map((c) => c.items)).toEqual([['y0'], ['z0'], ['x1', 'x2'], ['x1']]);
    calls[3].finish();
    await settle();
    expect(calls.map((c) => c.items)).toEqual([['y0'], ['z0'], ['x1', 'x2'], ['x1'], ['x2']]);
    calls[4].finish(new Error('bad'));
    await settle();
    expect(calls.map((c) => c.items)).toEqual([['y0'], ['z0'], ['x1', 'x2'], ['x1'], ['x2'], ['x3']]);
    calls[5].finish();
    calls[0].finish();
    await expect(Promise.all([...answers, late])).resolves.toEqual(['y0', 'z0', 'x1', 'bad', 'x3']);
  });

  it('a statement that answers with the wrong number of results rejects every request of it, without trying again', async () => {
    const calls: number[][] = [];
    const batcher = new StatementBatcher(async (items: number[]) => {
      calls.push(items);
      return items.length > 1 ? items.slice(1) : items;
    }, 1);
    const blocker = batcher.submit(0);
    const answers = [1, 2, 3].map((n) => batcher.submit(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await blocker;
    expect(await Promise.all(answers)).toEqual([1, 2, 3].map(() => ({ error: 'StatementBatcher: 2 results for 3 items' })));
    expect(calls).toEqual([[0], [1, 2, 3]]);
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
