import { ScorerHealth } from './health';

describe('ScorerHealth', () => {
  let now = 0;
  const health = () => new ScorerHealth({ now: () => now, restartWindowMs: 60_000, stallMs: 30_000, markerSlack: 64n });
  beforeEach(() => (now = 1_000_000));

  it('counts one restart as normal and two within the window as restarting, until they age out', () => {
    const h = health();
    h.crashed();
    expect(h.problems()).toEqual([]);
    now += 10_000;
    h.crashed();
    expect(h.problems()).toEqual([{ reason: 'restarting', detail: '2 consumer restarts in the last 60 s' }]);
    now += 55_000;
    expect(h.problems()).toEqual([]);
  });

  it('finds a partition with records waiting and no progress for the stall time, not one that moves or holds only markers', () => {
    const h = health();
    h.observe(0, 'payments', 100n, 5_000n);
    h.observe(1, 'payments', 100n, 150n);
    h.observe(2, 'payments', 100n, 5_000n);
    now += 20_000;
    h.observe(2, 'payments', 900n, 5_000n);
    now += 15_000;
    h.observe(0, 'payments', 100n, 6_000n);
    expect(h.problems()).toEqual([{ reason: 'stalled', detail: 'payments partition 0: 5900 records waiting, no progress for 35 s' }]);
    h.forget(0);
    expect(h.problems()).toEqual([]);
  });
});
