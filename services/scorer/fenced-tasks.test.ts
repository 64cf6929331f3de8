import { FencedTasks } from './fenced-tasks';

describe('FencedTasks', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const fencing = new Error('fenced');

  it('restarts the member when a fenced task’s partition is not taken away within the grace period', () => {
    const stuck: Error[] = [];
    const fenced = new FencedTasks(1_000, (error) => stuck.push(error));
    fenced.add(2, fencing);
    fenced.add(2, fencing);
    jest.advanceTimersByTime(999);
    expect([stuck, fenced.has(2)]).toEqual([[], true]);
    jest.advanceTimersByTime(1);
    expect([stuck, fenced.has(2)]).toEqual([[fencing], false]);
  });

  it('does nothing more once the group revokes or reassigns the partition', () => {
    const stuck: Error[] = [];
    const fenced = new FencedTasks(1_000, (error) => stuck.push(error));
    fenced.add(0, fencing);
    fenced.add(1, fencing);
    fenced.release(0);
    fenced.clear();
    jest.advanceTimersByTime(5_000);
    expect([stuck, fenced.has(0), fenced.has(1)]).toEqual([[], false, false]);
  });
});
