import fc from 'fast-check';
import { MinHeap } from './min-heap';
import { TimingWheel } from './timing-wheel';

/** A step of a queue's life: push items at priorities, or take out everything up to a limit. */
type Step = { push: { item: number; priority: number } } | { popUpTo: number };

/** The items each step's pops return, from a queue with the MinHeap's order and from the wheel. */
function run(steps: readonly Step[], ties: readonly number[]): { heap: number[][]; wheel: number[][] } {
  const tieBefore = (a: number, b: number) => ties[a]! < ties[b]! || (ties[a] === ties[b] && a < b);
  const heap = new MinHeap<number>(tieBefore);
  const wheel = new TimingWheel(tieBefore);
  const out = { heap: [] as number[][], wheel: [] as number[][] };
  for (const step of steps) {
    if ('push' in step) {
      heap.push(step.push.item, step.push.priority);
      wheel.push(step.push.item, step.push.priority);
      continue;
    }
    const fromHeap: number[] = [];
    while (heap.size > 0 && heap.peekPriority() <= step.popUpTo) fromHeap.push(heap.pop()!);
    const fromWheel: number[] = [];
    for (let item = wheel.popUpTo(step.popUpTo); item >= 0; item = wheel.popUpTo(step.popUpTo)) fromWheel.push(item);
    out.heap.push(fromHeap);
    out.wheel.push(fromWheel);
    expect(wheel.size).toBe(heap.size);
  }
  return out;
}

/** Steps over a watermark that grows by up to `stride` ms; pushes land up to `ahead` ms past it, fractions of a ms included. */
function steps(stride: number, ahead: number, behind: number) {
  return fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -behind, max: ahead }), fc.boolean(), fc.nat(stride)), { maxLength: 300 }).map((draws) => {
    const out: Step[] = [];
    let watermark = 1_700_000_000_000;
    let item = 0;
    for (const [isPush, offset, fraction, advance] of draws) {
      if (isPush) out.push({ push: { item: item++, priority: watermark + offset + (fraction ? 0.5 : 0) } });
      else out.push({ popUpTo: (watermark += advance) });
    }
    out.push({ popUpTo: Infinity });
    return out;
  });
}

describe('TimingWheel', () => {
  const ties = fc.array(fc.nat(2), { minLength: 300, maxLength: 300 });
  const cases = [
    ['pushes ahead of a growing limit', steps(40, 60, 0), 300],
    ['items beyond its span, which wait in a heap, and long gaps', steps(20_000, 30_000, 0), 200],
    ['items pushed behind what it already took out', steps(30, 40, 50), 300],
  ] as const;
  it.each(cases)('takes items out in the MinHeap order, up to each limit, with %s (property)', (_, script, numRuns) => {
    fc.assert(
      fc.property(script, ties, (steps, tieOrder) => {
        const { heap, wheel } = run(steps, tieOrder);
        expect(wheel).toEqual(heap);
      }),
      { numRuns },
    );
  });

  it('refuses a time it could never reach', () => {
    const wheel = new TimingWheel((a, b) => a < b);
    for (const priority of [Infinity, -Infinity, NaN]) expect(() => wheel.push(0, priority)).toThrow(RangeError);
    expect(wheel.size).toBe(0);
  });

  it('starts over after clear', () => {
    const wheel = new TimingWheel((a, b) => a < b);
    wheel.push(3, 10);
    wheel.push(1, 20_000);
    expect(wheel.popUpTo(10)).toBe(3);
    wheel.clear();
    expect(wheel.size).toBe(0);
    expect(wheel.popUpTo(Infinity)).toBe(-1);
    wheel.push(2, 5);
    wheel.push(0, 5);
    expect([wheel.popUpTo(5), wheel.popUpTo(5), wheel.popUpTo(5)]).toEqual([0, 2, -1]);
  });
});
