import { checkFlushMs, UpdateBatcher } from './batcher';

describe('UpdateBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('emits at most one frame per interval, with everything pending, and none while nothing changed', () => {
    let pending: number[] = [];
    const emitted: number[][] = [];
    const batcher = new UpdateBatcher({
      flushMs: 200,
      take: () => {
        if (pending.length === 0) return undefined;
        const frame = pending;
        pending = [];
        return frame;
      },
      emit: (frame) => emitted.push(frame),
    });
    batcher.start();
    pending.push(1, 2, 3);
    jest.advanceTimersByTime(199);
    expect(emitted).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(emitted).toEqual([[1, 2, 3]]);
    jest.advanceTimersByTime(1_000);
    expect(emitted).toHaveLength(1);
    pending.push(4);
    jest.advanceTimersByTime(200);
    expect(emitted).toEqual([[1, 2, 3], [4]]);

    batcher.stop();
    pending.push(5);
    jest.advanceTimersByTime(1_000);
    expect(emitted).toHaveLength(2);
  });

  it('starts once however often start is called', () => {
    const take = jest.fn(() => undefined);
    const batcher = new UpdateBatcher({ flushMs: 100, take, emit: () => undefined });
    batcher.start();
    batcher.start();
    jest.advanceTimersByTime(1_000);
    expect(take).toHaveBeenCalledTimes(10);
    batcher.stop();
  });

  it('accepts flush intervals from 100 to 250 ms only', () => {
    expect(checkFlushMs(100)).toBe(100);
    expect(checkFlushMs(250)).toBe(250);
    expect(() => checkFlushMs(99)).toThrow(/100 to 250 ms, got 99/);
    expect(() => checkFlushMs(251)).toThrow(/got 251/);
    expect(() => new UpdateBatcher({ flushMs: 20, take: () => undefined, emit: () => undefined })).toThrow(/got 20/);
  });
});
