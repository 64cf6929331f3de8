import fc from 'fast-check';
import { compile } from '../compiler';
import { AfterMatchSkip, Pattern, type AfterMatchSkipStrategy, iterative } from '../pattern';
import { ev, type Ev } from './conformance/fixtures';
import { expectSameAsNfa, expectSnapshotContinuation, stepsArb } from './conformance/matcher-properties';
import { matcherFactory } from './matcher';
import { Nfa } from './nfa';
import { TimesMatcher, timesShapeOf } from './times-matcher';

const isA = (e: Ev): boolean => e.kind === 'a';
const timesPattern = (n: number, windowMs: number, skip: AfterMatchSkipStrategy = AfterMatchSkip.noSkip()) =>
  Pattern.begin<Ev>('s', skip).where(isA).times(n).within(windowMs);

describe('timesShapeOf', () => {
  it('recognises a single times stage with relaxed contiguity, no skip or skip past the last event', () => {
    expect(timesShapeOf(timesPattern(3, 10).definition())).toMatchObject({ stage: 's', times: 3, windowMs: 10, skipPastLastEvent: false });
    expect(timesShapeOf(timesPattern(3, 10, AfterMatchSkip.skipPastLastEvent()).definition())).toMatchObject({ skipPastLastEvent: true });
  });

  it.each([
    ['an iterative condition', Pattern.begin<Ev>('s').where(iterative((e, ctx) => isA(e) && ctx.eventsFor('s').length < 5)).times(3).within(10)],
    ['strict contiguity', Pattern.begin<Ev>('s').where(isA).times(3).consecutive().within(10)],
    ['combinations', Pattern.begin<Ev>('s').where(isA).times(3).allowCombinations().within(10)],
    ['a range', Pattern.begin<Ev>('s').where(isA).times(2, 3).within(10)],
    ['an optional stage', Pattern.begin<Ev>('s').where(isA).times(3).optional().within(10)],
    ['no window', Pattern.begin<Ev>('s').where(isA).times(3)],
    ['a second stage', Pattern.begin<Ev>('s').where(isA).times(3).followedBy('t').where(isA).within(10)],
    ['a looping stage', Pattern.begin<Ev>('s').where(isA).timesOrMore(3).within(10)],
    ['skip to next', timesPattern(3, 10, AfterMatchSkip.skipToNext())],
  ])('leaves %s to the NFA', (_, pattern) => {
    expect(timesShapeOf(pattern.definition())).toBeNull();
  });
});

const steps = stepsArb(['a', 'a', 'b', 'w'], 4, 40);

const skipArb = fc.constantFrom(AfterMatchSkip.noSkip(), AfterMatchSkip.skipPastLastEvent());

describe('TimesMatcher', () => {
  it('gives exactly the general NFA outputs, partial matches and window ends, step by step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), skipArb, steps, (n, windowMs, skip, s) =>
        expectSameAsNfa(timesPattern(n, windowMs, skip).definition(), s, TimesMatcher),
      ),
      { numRuns: 1000 },
    );
  });

  it('continues from its JSON snapshot exactly as without one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 12 }), skipArb, steps, fc.nat(), (n, windowMs, skip, s, cut) =>
        expectSnapshotContinuation(timesPattern(n, windowMs, skip).definition(), s, cut),
      ),
      { numRuns: 300 },
    );
  });

  it('goes on as an NFA from an NFA snapshot, and refuses a snapshot of another count', () => {
    const definition = timesPattern(3, 10).definition();
    const nfa = Nfa.create(compile(definition));
    nfa.process(ev('a1'), 1);
    const restored = matcherFactory(definition).restore(JSON.parse(JSON.stringify(nfa.toSnapshot())));
    expect(restored).toBeInstanceOf(Nfa);
    expect(restored.process(ev('a2'), 2).matches).toEqual([]);
    expect(restored.process(ev('a3'), 3).matches).toEqual([{ s: [ev('a1'), ev('a2'), ev('a3')] }]);
    const other = matcherFactory(timesPattern(4, 10).definition()).create();
    other.process(ev('a1'), 1);
    expect(() => matcherFactory(definition).restore(other.toSnapshot())).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT' }));
  });
});
