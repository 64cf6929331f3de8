import { AfterMatchSkip, Pattern, type AfterMatchSkipStrategy, iterative } from '../../pattern';
import { CepHarness } from '../harness';
import { events, expected, is, matchesOf, show, type Ev } from './fixtures';

// FlinkCEP docs, "After Match Skip Strategy": pattern "b+ c" over "b1 b2 b3 c". The loop is
// consecutive so that every run ends at c: a skip strategy holds a match back while a run that
// started earlier is still alive (as Flink does), and a relaxed loop would keep b1's run alive.
describe('skip strategies for b+ c over "b1 b2 b3 c"', () => {
  const bPlusC = (skip: AfterMatchSkipStrategy) =>
    Pattern.begin<Ev>('b', skip).where(is('b')).oneOrMore().consecutive().next('c').where(is('c'));
  const input = 'b1 b2 b3 c1';
  const all = expected('b:b1,b2,b3 c:c1', 'b:b2,b3 c:c1', 'b:b3 c:c1');

  test.each([
    ['noSkip', AfterMatchSkip.noSkip(), all],
    ['skipToNext', AfterMatchSkip.skipToNext(), all],
    ['skipPastLastEvent', AfterMatchSkip.skipPastLastEvent(), expected('b:b1,b2,b3 c:c1')],
    ['skipToFirst(b)', AfterMatchSkip.skipToFirst('b'), all],
    ['skipToLast(b)', AfterMatchSkip.skipToLast('b'), expected('b:b1,b2,b3 c:c1', 'b:b3 c:c1')],
  ])('%s', (_, skip, matches) => {
    expect(matchesOf(bPlusC(skip), input)).toEqual(matches);
  });
});

// FlinkCEP docs: (a | b | c) (b | c) c+.greedy d over "a b c1 c2 c3 d".
describe('noSkip versus skipToFirst on a greedy loop', () => {
  const pattern = (skip: AfterMatchSkipStrategy) =>
    Pattern.begin<Ev>('ab', skip)
      .where(is('a', 'b', 'c'))
      .next('bc')
      .where(is('b', 'c'))
      .next('c')
      .where(is('c'))
      .oneOrMore()
      .greedy()
      .next('d')
      .where(is('d'));
  const input = 'a1 b1 c1 c2 c3 d1';

  test('noSkip', () => {
    expect(matchesOf(pattern(AfterMatchSkip.noSkip()), input)).toEqual(
      expected('ab:a1 bc:b1 c:c1,c2,c3 d:d1', 'ab:b1 bc:c1 c:c2,c3 d:d1', 'ab:c1 bc:c2 c:c3 d:d1'),
    );
  });

  test('skipToFirst(c)', () => {
    expect(matchesOf(pattern(AfterMatchSkip.skipToFirst('c')), input)).toEqual(
      expected('ab:a1 bc:b1 c:c1,c2,c3 d:d1', 'ab:c1 bc:c2 c:c3 d:d1'),
    );
  });
});

// FlinkCEP docs: "a b+" over "a b1 b2 b3".
describe('noSkip versus skipToNext', () => {
  const pattern = (skip: AfterMatchSkipStrategy) =>
    Pattern.begin<Ev>('a', skip).where(is('a')).followedBy('b').where(is('b')).oneOrMore();

  test('noSkip', () => {
    expect(matchesOf(pattern(AfterMatchSkip.noSkip()), 'a1 b1 b2 b3')).toEqual(
      expected('a:a1 b:b1', 'a:a1 b:b1,b2', 'a:a1 b:b1,b2,b3'),
    );
  });

  test('skipToNext', () => {
    expect(matchesOf(pattern(AfterMatchSkip.skipToNext()), 'a1 b1 b2 b3')).toEqual(expected('a:a1 b:b1'));
  });
});

// AfterMatchSkipITCase.testSkipPastLast: a{3} over a1..a5.
describe('skip strategies on times(3)', () => {
  const pattern = (skip: AfterMatchSkipStrategy) => Pattern.begin<Ev>('a', skip).where(is('a')).times(3).consecutive();

  test('noSkip overlaps', () => {
    expect(matchesOf(pattern(AfterMatchSkip.noSkip()), 'a1 a2 a3 a4 a5')).toEqual(
      expected('a:a1,a2,a3', 'a:a2,a3,a4', 'a:a3,a4,a5'),
    );
  });

  test('skipPastLastEvent does not', () => {
    expect(matchesOf(pattern(AfterMatchSkip.skipPastLastEvent()), 'a1 a2 a3 a4 a5 a6')).toEqual(
      expected('a:a1,a2,a3', 'a:a4,a5,a6'),
    );
  });
});

describe('matches held back by a skip strategy', () => {
  // b matches the a with the same number, so a2's run completes (at b2) before a1's (at b1).
  const sameNumber = (skip: AfterMatchSkipStrategy) =>
    Pattern.begin<Ev>('a', skip)
      .where(is('a'))
      .followedByAny('b')
      .where(iterative((e, ctx) => e.kind === 'b' && e.label.slice(1) === ctx.eventsFor('a')[0]!.label.slice(1)));
  const labels = (p: Pattern<Ev>) =>
    CepHarness.forPattern(p)
      .build()
      .feed(events('a1 a2 b2 b1'))
      .map((m) => show([m])[0]);

  test('noSkip emits each match as soon as it completes', () => {
    expect(labels(sameNumber(AfterMatchSkip.noSkip()))).toEqual(['a:a2 b:b2', 'a:a1 b:b1']);
  });

  test('a skip strategy emits in order of first event, once earlier runs ended', () => {
    expect(labels(sameNumber(AfterMatchSkip.skipToNext()))).toEqual(['a:a1 b:b1', 'a:a2 b:b2']);
  });

  test('a held match can be pruned by the earlier match it waited for', () => {
    expect(labels(sameNumber(AfterMatchSkip.skipPastLastEvent()))).toEqual(['a:a1 b:b1']);
  });
});
