import { ReadGate } from './read-gate.js';

/** Tasks the test finishes by hand, recording the order they started in. */
function controllableTasks() {
  const started: number[] = [];
  const finishers = new Map<number, (error?: Error) => void>();
  const task = (n: number) => () =>
    new Promise<string>((resolve, reject) => {
      started.push(n);
      finishers.set(n, (error) => (error ? reject(error) : resolve(`r${n}`)));
    });
  const finish = (n: number, error?: Error) => finishers.get(n)!(error);
  return { started, task, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadGate', () => {
  it('runs up to its limit at once and starts the waiting ones in the order they came, each as a slot frees', async () => {
    const gate = new ReadGate(2);
    const { started, task, finish } = controllableTasks();
    const results = [1, 2, 3, 4, 5].map((n) => gate.run(task(n)));
    await settle();
    expect(started).toEqual([1, 2]);
    expect(gate.load).toEqual({ active: 2, waiting: 3 });

    finish(2);
    await settle();
    expect(started).toEqual([1, 2, 3]);
    finish(1);
    await settle();
    expect(started).toEqual([1, 2, 3, 4]);
    expect(gate.load).toEqual({ active: 2, waiting: 1 });

    finish(4);
    finish(3);
    await settle();
    finish(5);
    await expect(Promise.all(results)).resolves.toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails, passes the failure on, and runs the next', async () => {
    const gate = new ReadGate(1);
    const { started, task, finish } = controllableTasks();
    const failing = gate.run(task(1));
    const next = gate.run(task(2));
    await settle();
    expect(started).toEqual([1]);
    finish(1, new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await settle();
    expect(started).toEqual([1, 2]);
    finish(2);
    await expect(next).resolves.toBe('r2');
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });

  it('never runs more than its limit under many concurrent callers', async () => {
    const gate = new ReadGate(3);
    let running = 0;
    let most = 0;
    const work = () =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        running--;
        return running;
      });
    await Promise.all(Array.from({ length: 200 }, work));
    expect(most).toBe(3);
    expect(gate.load).toEqual({ active: 0, waiting: 0 });
  });
});
