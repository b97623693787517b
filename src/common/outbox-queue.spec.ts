import { backoffDelay } from './outbox-queue.js';

describe('backoffDelay', () => {
  it('doubles from the base on each attempt and stops at the maximum', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 5000, 60_000))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(backoffDelay(10, 5000, 60_000)).toBe(60_000);
  });

  it('spreads the delay by the jitter fraction either way', () => {
    expect(backoffDelay(1, 1000, 60_000, 0.2, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 60_000, 0.2, () => 1)).toBe(1200);
    expect(backoffDelay(1, 1000, 60_000, 0.2, () => 0.5)).toBe(1000);
  });
});
