import fc from 'fast-check';
import { MinHeap } from './min-heap';

describe('MinHeap', () => {
  it('pops by priority, then by the tie order, whatever the push order, across growth of its priority array (property)', () => {
    const item = fc.record({ priority: fc.integer({ min: -5, max: 5 }), tie: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 600 }), fc.nat(), (items, seed) => {
        const heap = new MinHeap<{ priority: number; tie: number }>((a, b) => a.tie < b.tie);
        const shuffled = [...items].sort((a, b) => ((a.priority * 31 + a.tie * 7 + seed) % 13) - ((b.priority * 31 + b.tie * 7 + seed) % 13));
        for (const entry of shuffled) heap.push(entry, entry.priority);
        const popped = [];
        for (let next = heap.pop(); next !== undefined; next = heap.pop()) popped.push(next);
        expect(popped).toEqual([...items].sort((a, b) => a.priority - b.priority || a.tie - b.tie));
        expect(heap.peekPriority()).toBe(Infinity);
      }),
      { numRuns: 100 },
    );
  });
});
