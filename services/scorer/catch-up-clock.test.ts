import { CatchUpClock } from './catch-up-clock';

describe('CatchUpClock', () => {
  let wall: number;
  const clock = (lagging: string[] = []) => new CatchUpClock(() => wall, lagging);
  beforeEach(() => {
    wall = 1_000;
  });

  it('follows the wall clock while every input is caught up', () => {
    const c = clock();
    wall += 500;
    expect(c.now()).toBe(1_500);
  });

  it('stands still while an input has a backlog, and resumes where it stopped', () => {
    const c = clock(['tx']);
    wall += 60_000;
    expect(c.now()).toBe(1_000);
    c.observe('tx', true);
    wall += 200;
    expect(c.now()).toBe(1_200);
  });

  it('counts the time before a backlog is seen, not after', () => {
    const c = clock();
    wall += 100;
    c.observe('auth', false);
    wall += 10_000;
    c.observe('auth', true);
    wall += 50;
    expect(c.now()).toBe(1_150);
  });

  it('needs every lagging input caught up', () => {
    const c = clock(['tx', 'auth']);
    c.observe('tx', true);
    wall += 1_000;
    expect(c.now()).toBe(1_000);
    expect(c.lagging).toEqual(['auth']);
  });

  it('lets an input that delivers nothing for the settle time count as caught up', () => {
    const c = clock(['profiles']);
    wall += 4_000;
    c.settle(5_000);
    expect(c.lagging).toEqual(['profiles']);
    wall += 1_000;
    c.settle(5_000);
    expect(c.lagging).toEqual([]);
    wall += 100;
    expect(c.now()).toBe(1_100);
  });

  it('never runs backwards when the wall clock does', () => {
    const c = clock();
    wall -= 5_000;
    expect(c.now()).toBe(1_000);
  });
});
