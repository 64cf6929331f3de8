import { CatchUpClock } from './catch-up-clock';

describe('CatchUpClock', () => {
  let wall: number;
  const clock = (positions: Record<string, bigint> = { tx: 0n }) => new CatchUpClock(() => wall, new Map(Object.entries(positions)));
  beforeEach(() => {
    wall = 1_000;
  });

  it('follows the wall clock while every input is caught up', () => {
    const c = clock();
    wall += 500;
    expect(c.now()).toBe(1_500);
  });

  it('stands still while an input has a backlog, and resumes where it stopped', () => {
    const c = clock();
    c.ended('tx', 100n);
    wall += 60_000;
    expect(c.now()).toBe(1_000);
    c.reached('tx', 100n);
    wall += 200;
    expect(c.now()).toBe(1_200);
  });

  it('counts the time before a backlog is seen, not after', () => {
    const c = clock({ auth: 0n });
    wall += 100;
    c.ended('auth', 5n);
    wall += 10_000;
    c.reached('auth', 5n);
    wall += 50;
    expect(c.now()).toBe(1_150);
  });

  it('needs every input caught up', () => {
    const c = clock({ tx: 0n, auth: 0n });
    c.ended('tx', 10n);
    c.ended('auth', 10n);
    c.reached('tx', 10n);
    wall += 1_000;
    expect(c.now()).toBe(1_000);
    expect(c.lagging).toEqual(['auth']);
  });

  it('takes a task that starts where the log ends for caught up', () => {
    const c = clock({ tx: 40n });
    c.ended('tx', 40n);
    wall += 300;
    expect(c.now()).toBe(1_300);
  });

  it('never counts a quiet input as caught up, however long it delivers nothing', () => {
    const c = clock({ profiles: 0n });
    c.ended('profiles', 7n);
    wall += 24 * 3_600_000;
    expect(c.now()).toBe(1_000);
    expect(c.lagging).toEqual(['profiles']);
  });

  it('keeps the furthest end and reach it was told of, whatever order they come in', () => {
    const c = clock();
    c.ended('tx', 50n);
    c.ended('tx', 30n);
    c.reached('tx', 50n);
    c.reached('tx', 20n);
    expect(c.lagging).toEqual([]);
    c.ended('tx', 51n);
    expect(c.lagging).toEqual(['tx']);
  });

  it('never runs backwards when the wall clock does', () => {
    const c = clock();
    wall -= 5_000;
    expect(c.now()).toBe(1_000);
  });
});
