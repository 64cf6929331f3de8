import fc from 'fast-check';
import { AfterMatchSkip, Pattern, type AfterMatchSkipStrategy, iterative } from '../pattern';
import { ev, type Ev } from './conformance/fixtures';
import { expectSameAsNfa, expectSnapshotContinuation, stepsArb } from './conformance/matcher-properties';
import { matcherFactory } from './matcher';
import { SequenceMatcher, sequenceShapeOf } from './sequence-matcher';

type Contiguity = 'followedBy' | 'followedByAny';
/** Events per stage: one, or times(n) with relaxed contiguity between them (combinations allowed or not). */
type Count = 1 | 2 | 3 | 'any2' | 'any3';
/** Stage conditions over kinds a, b, c; some overlap, so that one event can both start a run and extend others. */
const CONDITIONS: Record<string, (e: Ev) => boolean> = {
  a: (e) => e.kind === 'a',
  b: (e) => e.kind === 'b',
  c: (e) => e.kind === 'c',
  ab: (e) => e.kind !== 'c',
};

function counted(p: Pattern<Ev>, count: Count): Pattern<Ev> {
  if (count === 1) return p;
  if (typeof count === 'number') return p.times(count);
  return p.times(Number(count.slice(3))).allowCombinations();
}

function sequencePattern(conditions: readonly string[], counts: readonly Count[], contiguity: readonly Contiguity[], windowMs: number, skip: AfterMatchSkipStrategy): Pattern<Ev> {
  let p = counted(Pattern.begin<Ev>('s0', skip).where(CONDITIONS[conditions[0]!]!), counts[0]!);
  contiguity.forEach((how, i) => {
    p = counted(p[how](`s${i + 1}`).where(CONDITIONS[conditions[i + 1]!]!), counts[i + 1]!);
  });
  return p.within(windowMs);
}

const shapeArb = fc
  .tuple(
    fc.array(fc.constantFrom(...Object.keys(CONDITIONS)), { minLength: 2, maxLength: 4 }),
    fc.array(fc.constantFrom<Count>(1, 1, 1, 2, 3, 'any2', 'any3'), { minLength: 4, maxLength: 4 }),
    fc.array(fc.constantFrom<Contiguity>('followedBy', 'followedByAny'), { minLength: 3, maxLength: 3 }),
    fc.integer({ min: 1, max: 12 }),
    fc.constantFrom(AfterMatchSkip.noSkip(), AfterMatchSkip.skipPastLastEvent()),
  )
  .map(([conditions, counts, contiguity, windowMs, skip]) => sequencePattern(conditions, counts, contiguity.slice(0, conditions.length - 1), windowMs, skip).definition());

const steps = stepsArb(['a', 'b', 'c', 'w'], 3, 30);

describe('sequenceShapeOf', () => {
  const isA = CONDITIONS.a!;
  it('recognises single-event stages joined by followedBy or followedByAny', () => {
    const definition = Pattern.begin<Ev>('x', AfterMatchSkip.skipPastLastEvent()).where(isA).followedBy('y').where(isA).followedByAny('z').where(isA).within(5).definition();
    expect(sequenceShapeOf(definition)).toMatchObject({ stages: ['x', 'y', 'z'], anyMatch: [false, false, true], windowMs: 5, skipPastLastEvent: true });
  });

  it('gives a times stage one slot per event', () => {
    const definition = Pattern.begin<Ev>('x').where(isA).followedByAny('y').where(isA).times(3).allowCombinations().within(5).definition();
    expect(sequenceShapeOf(definition)).toMatchObject({ stages: ['x', 'y', 'y', 'y'], anyMatch: [false, true, true, true] });
  });

  it.each([
    ['an iterative condition', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(iterative((e, ctx) => isA(e) && ctx.eventsFor('x').length > 0)).within(5)],
    ['strict contiguity', Pattern.begin<Ev>('x').where(isA).next('y').where(isA).within(5)],
    ['a negation', Pattern.begin<Ev>('x').where(isA).notFollowedBy('y').where(isA).followedBy('z').where(isA).within(5)],
    ['a looping stage', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA).oneOrMore().within(5)],
    ['a range of times', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA).times(2, 3).within(5)],
    ['consecutive times', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA).times(2).consecutive().within(5)],
    ['an optional stage', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA).optional().followedBy('z').where(isA).within(5)],
    ['no window', Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA)],
    ['a single stage', Pattern.begin<Ev>('x').where(isA).within(5)],
    ['skip to next', Pattern.begin<Ev>('x', AfterMatchSkip.skipToNext()).where(isA).followedBy('y').where(isA).within(5)],
  ])('leaves %s to the NFA', (_, pattern) => {
    expect(sequenceShapeOf(pattern.definition())).toBeNull();
  });
});

describe('SequenceMatcher', () => {
  it('gives exactly the general NFA outputs, in order, partial matches and window ends, step by step', () => {
    fc.assert(
      fc.property(shapeArb, steps, (definition, s) => expectSameAsNfa(definition, s, SequenceMatcher)),
      { numRuns: 2000 },
    );
  });

  it('continues from its JSON snapshot exactly as without one', () => {
    fc.assert(
      fc.property(shapeArb, steps, fc.nat(), expectSnapshotContinuation),
      { numRuns: 500 },
    );
  });

  it('refuses the snapshot of another sequence', () => {
    const isA = CONDITIONS.a!;
    const other = matcherFactory(Pattern.begin<Ev>('x').where(isA).followedBy('y').where(isA).within(5).definition()).create();
    other.process(ev('a1'), 1);
    const factory = matcherFactory(Pattern.begin<Ev>('x').where(isA).followedBy('z').where(isA).within(5).definition());
    expect(() => factory.restore(other.toSnapshot())).toThrow(expect.objectContaining({ code: 'INVALID_SNAPSHOT' }));
  });
});
