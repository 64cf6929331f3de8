import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, options))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the cap, even after very many attempts', () => {
    expect(backoffDelay(5, options)).toBe(1_000);
    expect(backoffDelay(10_000, options)).toBe(1_000);
  });

  it('refuses an attempt number that is not a positive integer', () => {
    expect(() => backoffDelay(0, options)).toThrow(RangeError);
    expect(() => backoffDelay(1.5, options)).toThrow(RangeError);
  });
});
