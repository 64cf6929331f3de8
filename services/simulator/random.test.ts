import { Random } from './random';
import { TimeQueue } from './time-queue';

describe('Random', () => {
  const draws = (random: Random, n = 5) => Array.from({ length: n }, () => random.next());

  it('repeats for a seed, differs across seeds, and forks independent reproducible streams', () => {
    expect(draws(new Random(42))).toEqual(draws(new Random(42)));
    expect(draws(new Random(42))).not.toEqual(draws(new Random(43)));
    expect(draws(new Random(42).fork('a'))).toEqual(draws(new Random(42).fork('a')));
    expect(draws(new Random(42).fork('a'))).not.toEqual(draws(new Random(42).fork('b')));
  });

  it('stays within its ranges and weights', () => {
    const random = new Random('ranges');
    const ints = Array.from({ length: 10_000 }, () => random.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    const picks = Array.from({ length: 10_000 }, () => random.weighted(['rare', 'common'], (x) => (x === 'rare' ? 1 : 9)));
    const rare = picks.filter((p) => p === 'rare').length / picks.length;
    expect(rare).toBeGreaterThan(0.08);
    expect(rare).toBeLessThan(0.12);
    const medians = Array.from({ length: 10_001 }, () => random.logNormal(1_000, 0.5)).sort((a, b) => a - b);
    expect(medians[5_000]).toBeGreaterThan(950);
    expect(medians[5_000]).toBeLessThan(1_050);
    expect(random.hex(10)).toMatch(/^[0-9a-f]{10}$/);
    const uniform = Array.from({ length: 10_000 }, () => random.uniform(2, 4));
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...uniform)).toBeLessThan(4);
    // Log-uniform over 1..100: half below 10, the geometric middle.
    const scales = Array.from({ length: 10_000 }, () => random.logUniform(1, 100));
    expect(Math.min(...scales)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...scales)).toBeLessThan(100);
    const belowTen = scales.filter((x) => x < 10).length / scales.length;
    expect(belowTen).toBeGreaterThan(0.47);
    expect(belowTen).toBeLessThan(0.53);
  });
});

describe('TimeQueue', () => {
  it('pops by time, equal times in insertion order', () => {
    const queue = new TimeQueue<string>();
    for (const [time, item] of [[5, 'e'], [1, 'a'], [3, 'c1'], [3, 'c2'], [2, 'b'], [9, 'z']] as const) queue.push(time, item);
    expect([...queue.popUntil(3)]).toEqual(['a', 'b', 'c1', 'c2']);
    expect([...queue.drain()]).toEqual(['e', 'z']);
    expect([...queue.drain()]).toEqual([]);
  });
});
