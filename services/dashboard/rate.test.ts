import { RateCounter } from './rate';

const T = 1_767_225_600_000; // a whole second

describe('RateCounter', () => {
  it('averages over the window once a full window has passed', () => {
    const rate = new RateCounter({ windowSeconds: 10, historySeconds: 60 });
    for (let s = 0; s < 20; s++) rate.add(T + s * 1000, 5);
    // At T + 19.5 s the window holds seconds 10..19 (50 events) over 9.5 s.
    expect(rate.rate(T + 19_500)).toBeCloseTo(50 / 9.5, 6);
  });

  it('reports a young stream over its own age, not over the whole window', () => {
    const rate = new RateCounter({ windowSeconds: 10, historySeconds: 60 });
    rate.add(T, 100);
    rate.add(T + 1_000, 100);
    expect(rate.rate(T + 2_000)).toBeCloseTo(100, 6);
  });

  it('falls to zero once the events leave the window, and is zero before any', () => {
    const rate = new RateCounter({ windowSeconds: 10, historySeconds: 60 });
    expect(rate.rate(T)).toBe(0);
    rate.add(T, 7);
    expect(rate.rate(T + 9_999)).toBeGreaterThan(0);
    expect(rate.rate(T + 10_000)).toBe(0);
  });

  it('keeps per-second history, the current second last, forgetting slots it reuses', () => {
    const rate = new RateCounter({ windowSeconds: 2, historySeconds: 4 });
    rate.add(T, 1);
    rate.add(T + 1_200, 2);
    rate.add(T + 1_900, 1);
    rate.add(T + 3_000, 4);
    expect(rate.history(T + 3_500)).toEqual([1, 3, 0, 4]);
    // Second 4 reuses the slot of second 0: the old count must not leak into it.
    rate.add(T + 4_000, 1);
    expect(rate.history(T + 4_000)).toEqual([3, 0, 4, 1]);
    expect(rate.history(T + 60_000)).toEqual([0, 0, 0, 0]);
  });

  it('refuses a window it cannot hold', () => {
    expect(() => new RateCounter({ windowSeconds: 0, historySeconds: 60 })).toThrow(/windowSeconds/);
    expect(() => new RateCounter({ windowSeconds: 10, historySeconds: 5 })).toThrow(/historySeconds/);
  });
});
