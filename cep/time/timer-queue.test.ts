import fc from 'fast-check';
import { TimerQueue } from './timer-queue';

describe('TimerQueue', () => {
  it('pops the timers due by the limit in (time, key) order whatever the order they were added in (property)', () => {
    const timer = fc.record({ key: fc.constantFrom('acct-1', 'acct-2', 'acct-10', 'b'), time: fc.integer({ min: 0, max: 20 }) });
    fc.assert(
      fc.property(fc.array(timer, { maxLength: 60 }), fc.integer({ min: 0, max: 20 }), (timers, limit) => {
        const queue = new TimerQueue();
        for (const { key, time } of timers) queue.add(key, time);
        const popped: [number, string][] = [];
        for (let key = queue.popDue(limit); key !== undefined; key = queue.popDue(limit)) popped.push([queue.time, key]);
        const expected = timers
          .filter(({ time }) => time <= limit)
          .map(({ key, time }): [number, string] => [time, key])
          .sort(([t1, k1], [t2, k2]) => t1 - t2 || (k1 < k2 ? -1 : k1 > k2 ? 1 : 0));
        expect(popped).toEqual(expected);
        expect(queue.popDue(Infinity) === undefined).toBe(timers.every(({ time }) => time <= limit));
      }),
    );
  });
});
