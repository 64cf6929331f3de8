import fc from 'fast-check';
import { ByteReader, ByteWriter } from '../state/bytes';
import { WatermarkTracker } from './watermark-tracker';

const partitions = [
  { topic: 'profiles', partition: 0 },
  { topic: 'transactions', partition: 0 },
];
const options = { outOfOrdernessMs: 100, idleTimeoutMs: 1_000 };

describe('WatermarkTracker', () => {
  it('holds the task watermark at -Infinity while an assigned partition has never had data', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(1, 5_000, 0);
    expect(tracker.advance(0)).toBe(-Infinity);
  });

  it('is the minimum over partitions of the highest event time minus the bound minus one', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(0, 2_000, 0);
    tracker.observe(1, 5_000, 0);
    tracker.observe(1, 4_000, 0);
    expect(tracker.advance(0)).toBe(2_000 - 100 - 1);
  });

  it('stops waiting for a partition after the idle timeout and counts it again when data returns, never regressing', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(0, 2_000, 0);
    tracker.observe(1, 5_000, 0);
    tracker.advance(0);
    tracker.observe(1, 6_000, 999);
    expect(tracker.advance(999)).toBe(1_899);
    expect(tracker.advance(1_000)).toBe(5_899);
    expect(tracker.idlePartitions()).toEqual([{ topic: 'profiles', partition: 0 }]);
    tracker.observe(0, 2_100, 1_001);
    expect(tracker.idlePartitions()).toEqual([]);
    expect(tracker.advance(1_001)).toBe(5_899);
    tracker.observe(0, 7_000, 1_002);
    tracker.observe(1, 6_500, 1_002);
    expect(tracker.advance(1_002)).toBe(6_399);
  });

  it('moves to the highest partition watermark when every partition is idle', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(1, 5_000, 0);
    expect(tracker.advance(500)).toBe(-Infinity);
    expect(tracker.advance(1_000)).toBe(4_899);
    expect(tracker.lagMs(10_000)).toBe(5_101);
  });

  it('moves to the highest event time at end of input', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(0, 3_000, 0);
    expect(tracker.endOfInput()).toBe(3_000);
  });

  it('round-trips its state through bytes', () => {
    const tracker = new WatermarkTracker(partitions, options);
    tracker.observe(0, 3_000, 10);
    tracker.observe(1, 4_000, 20);
    tracker.advance(1_015);
    const out = new ByteWriter();
    tracker.encode(out);
    const restored = new WatermarkTracker(partitions, options);
    restored.decode(new ByteReader(out.finish()), 3);
    expect(restored.watermark).toBe(tracker.watermark);
    expect(tracker.idlePartitions()).toEqual([{ topic: 'profiles', partition: 0 }]);
    // Idleness belongs to the writer's clock: the restored partitions start active, and idle by the reader's.
    expect(restored.idlePartitions()).toEqual([]);
    expect(restored.advance(5_000)).toBe(tracker.watermark);
    expect(restored.advance(6_000)).toBe(tracker.advance(6_000));
  });

  it('is monotonic, never ahead of the data, and honours idleness (property)', () => {
    const step = fc.oneof(
      fc.record({ slot: fc.nat(2), eventTime: fc.integer({ min: 0, max: 100_000 }), wait: fc.nat(600) }),
      fc.record({ wait: fc.nat(3_000) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const three = [...partitions, { topic: 'auth', partition: 0 }];
        const tracker = new WatermarkTracker(three, options);
        const maxSeen = [-Infinity, -Infinity, -Infinity];
        const lastData = [0, 0, 0];
        let now = 0;
        let previous = tracker.advance(now);
        for (const s of steps) {
          now += s.wait;
          if ('slot' in s) {
            tracker.observe(s.slot, s.eventTime, now);
            maxSeen[s.slot] = Math.max(maxSeen[s.slot]!, s.eventTime);
            lastData[s.slot] = now;
          }
          const watermark = tracker.advance(now);
          const limits = maxSeen.map((m) => m - options.outOfOrdernessMs - 1);
          const active = [0, 1, 2].filter((slot) => now - lastData[slot]! < options.idleTimeoutMs);
          expect(watermark).toBeGreaterThanOrEqual(previous);
          expect(watermark).toBeLessThanOrEqual(Math.max(previous, ...limits));
          expect(tracker.idlePartitions().map((p) => p.topic)).toEqual([0, 1, 2].filter((slot) => !active.includes(slot)).map((slot) => three[slot]!.topic));
          const expected = active.length > 0 ? Math.min(...active.map((slot) => limits[slot]!)) : Math.max(...limits);
          expect(watermark).toBe(Math.max(previous, expected));
          previous = watermark;
        }
      }),
      { numRuns: 300 },
    );
  });
});
