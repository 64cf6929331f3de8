import fc from 'fast-check';
import { AfterMatchSkip, Pattern, iterative } from '../pattern';
import { ev, type Ev } from './conformance/fixtures';
import { expectSameAsNfa, expectSnapshotContinuation, stepsArb } from './conformance/matcher-properties';
import { LoopMatcher, loopShapeOf } from './loop-matcher';
import { matcherFactory } from './matcher';

/** Conditions over kinds a, b, c; some overlap, so that one event can both extend the loop and complete it. */
const CONDITIONS: Record<string, (e: Ev) => boolean> = {
  a: (e) => e.kind === 'a',
  b: (e) => e.kind === 'b',
  ab: (e) => e.kind !== 'c',
  bc: (e) => e.kind !== 'a',
};

const isA = CONDITIONS.a!;
const isB = CONDITIONS.b!;

const loopPattern = (loop: string, last: string, n: number, windowMs: number): Pattern<Ev> =>
  Pattern.begin<Ev>('loop', AfterMatchSkip.skipPastLastEvent()).where(CONDITIONS[loop]!).timesOrMore(n).followedBy('last').where(CONDITIONS[last]!).within(windowMs);

const shapeArb = fc
  .tuple(fc.constantFrom(...Object.keys(CONDITIONS)), fc.constantFrom(...Object.keys(CONDITIONS)), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }))
  .map(([loop, last, n, windowMs]) => loopPattern(loop, last, n, windowMs).definition());

const steps = stepsArb(['a', 'a', 'b', 'c', 'w'], 3, 40);

describe('loopShapeOf', () => {
  it('recognises a looping stage, then one event, skipping past the last event', () => {
    expect(loopShapeOf(loopPattern('a', 'b', 3, 5).definition())).toMatchObject({ stages: ['loop', 'last'], times: 3, windowMs: 5 });
  });

  it.each([
    ['no skip', Pattern.begin<Ev>('x').where(isA).timesOrMore(3).followedBy('y').where(isB).within(5)],
    ['an iterative condition', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).followedBy('y').where(iterative((e, ctx) => isB(e) && ctx.eventsFor('x').length > 3)).within(5)],
    ['consecutive loop events', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).consecutive().followedBy('y').where(isB).within(5)],
    ['a greedy loop', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).greedy().followedBy('y').where(isB).within(5)],
    ['followedByAny', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).followedByAny('y').where(isB).within(5)],
    ['a times stage', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).times(3).followedBy('y').where(isB).within(5)],
    ['no window', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).followedBy('y').where(isB)],
    ['a third stage', Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).timesOrMore(3).followedBy('y').where(isB).followedBy('z').where(isA).within(5)],
  ])('leaves %s to the NFA', (_, pattern) => {
    expect(loopShapeOf(pattern.definition())).toBeNull();
  });
});

describe('LoopMatcher', () => {
  it('gives exactly the general NFA outputs, partial matches and window ends, step by step', () => {
    fc.assert(
      fc.property(shapeArb, steps, (definition, s) => expectSameAsNfa(definition, s, LoopMatcher)),
      { numRuns: 3000 },
    );
  });

  it('continues from its JSON snapshot exactly as without one', () => {
    fc.assert(
      fc.property(shapeArb, steps, fc.nat(), expectSnapshotContinuation),
      { numRuns: 500 },
    );
  });

  it('refuses the snapshot of another loop', () => {
    const other = matcherFactory(loopPattern('a', 'b', 3, 5).definition()).create();
    other.process(ev('a1'), 1);
    const factory = matcherFactory(loopPattern('a', 'b', 2, 5).definition());
    expect(() => factory.restore(other.toSnapshot())).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT' }));
  });
});
