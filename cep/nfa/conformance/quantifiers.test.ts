import { Pattern, iterative } from '../../pattern';
import { ev, expected, is, matchesOf, type Ev } from './fixtures';

const cab = (configure: (middle: Pattern<Ev>) => Pattern<Ev>) =>
  configure(Pattern.begin<Ev>('start').where(is('c')).followedBy('middle').where(is('a')))
    .followedBy('end')
    .where(is('b'));

const withMiddle = (...middles: string[]) => expected(...middles.map((m) => (m === '' ? 'start:c1 end:b1' : `start:c1 middle:${m} end:b1`)));

describe('times', () => {
  test('times(2): exactly two events, relaxed in between', () => {
    expect(matchesOf(cab((m) => m.times(2)), 'c1 a1 d1 a2 a3 b1')).toEqual(withMiddle('a1,a2'));
  });

  test('times(1, 3): 1 to 3 events (TimesRangeITCase.testTimesRange)', () => {
    expect(matchesOf(cab((m) => m.times(1, 3)), 'c1 a1 a2 a3 b1')).toEqual(withMiddle('a1', 'a1,a2', 'a1,a2,a3'));
  });

  test('times(2, 3).optional(): 0, 2 or 3 events', () => {
    expect(matchesOf(cab((m) => m.times(2, 3).optional()), 'c1 a1 a2 a3 b1')).toEqual(
      withMiddle('', 'a1,a2', 'a1,a2,a3'),
    );
  });

  test('times(0, 2) is times(1, 2).optional()', () => {
    expect(matchesOf(cab((m) => m.times(0, 2)), 'c1 a1 a2 b1')).toEqual(withMiddle('', 'a1', 'a1,a2'));
  });

  test('times(1, 3).greedy(): as many events as possible', () => {
    expect(matchesOf(cab((m) => m.times(1, 3).greedy()), 'c1 a1 a2 a3 b1')).toEqual(withMiddle('a1,a2,a3'));
  });

  test('times(2).consecutive(): a non-matching event in between breaks it', () => {
    expect(matchesOf(cab((m) => m.times(2).consecutive()), 'c1 a1 d1 a2 a3 b1')).toEqual([]);
    expect(matchesOf(cab((m) => m.times(2).consecutive()), 'c1 d1 a1 a2 a3 b1')).toEqual(withMiddle('a1,a2'));
  });
});

describe('oneOrMore and timesOrMore', () => {
  test('oneOrMore().optional(): zero or more', () => {
    expect(matchesOf(cab((m) => m.oneOrMore().optional()), 'c1 a1 a2 b1')).toEqual(withMiddle('', 'a1', 'a1,a2'));
  });

  test('oneOrMore().greedy(): only the longest run', () => {
    expect(matchesOf(cab((m) => m.oneOrMore().greedy()), 'c1 a1 a2 a3 b1')).toEqual(withMiddle('a1,a2,a3'));
  });

  test('oneOrMore().optional().greedy(): zero or the longest run', () => {
    expect(matchesOf(cab((m) => m.oneOrMore().optional().greedy()), 'c1 d1 b1')).toEqual(withMiddle(''));
    expect(matchesOf(cab((m) => m.oneOrMore().optional().greedy()), 'c1 a1 a2 b1')).toEqual(withMiddle('a1,a2'));
  });

  test('timesOrMore(2): at least two events', () => {
    expect(matchesOf(cab((m) => m.timesOrMore(2)), 'c1 a1 a2 a3 b1')).toEqual(withMiddle('a1,a2', 'a1,a2,a3'));
  });
});

describe('optional', () => {
  test('an optional singleton may be skipped', () => {
    expect(matchesOf(cab((m) => m.optional()), 'c1 a1 b1')).toEqual(withMiddle('', 'a1'));
  });

  test('an optional first stage', () => {
    const p = Pattern.begin<Ev>('a').where(is('a')).optional().followedBy('b').where(is('b'));
    expect(matchesOf(p, 'a1 b1')).toEqual(expected('a:a1 b:b1', 'b:b1'));
  });
});

describe('until', () => {
  // FlinkCEP docs, "Stop condition": (a+ until b) over "a1 c a2 b a3".
  test('stops a loop when the condition holds', () => {
    const p = Pattern.begin<Ev>('a').where(is('a')).oneOrMore().until(is('b'));
    expect(matchesOf(p, 'a1 c1 a2 b1 a3')).toEqual(expected('a:a1', 'a:a1,a2', 'a:a2', 'a:a3'));
  });

  test('until inside a sequence (UntilConditionITCase.testUntilConditionFollowedByOneOrMore)', () => {
    const p = cab((m) => m.oneOrMore().until((e) => e.label === 'a3'));
    expect(matchesOf(p, 'c1 a1 a2 a3 b1')).toEqual(withMiddle('a1', 'a1,a2'));
  });
});

describe('where, or and iterative conditions', () => {
  test('or widens a stage', () => {
    const p = Pattern.begin<Ev>('x').where(is('a')).or(is('b')).next('y').where(is('c'));
    expect(matchesOf(p, 'a1 c1 b1 c2 d1 c3')).toEqual(expected('x:a1 y:c1', 'x:b1 y:c2'));
  });

  // FlinkCEP docs, iterative conditions: middle accepts events while their price sum stays < 5.
  test('a condition sees the events its partial match accepted so far', () => {
    // #region iterative (shown in docs/rules.md)
    const p = Pattern.begin<Ev>('start')
      .where(is('s'))
      .followedByAny('middle')
      .where(iterative((e, ctx) => e.kind === 'm' && ctx.eventsFor('middle').reduce((sum, x) => sum + x.price, e.price) < 5))
      .oneOrMore()
      .followedBy('end')
      .where(is('e'));
    // #endregion iterative
    const input = [ev('s1'), ev('m1', 1), ev('m2', 2), ev('m3', 3), ev('e1')].map((event, i) => ({ event, timestamp: i }));
    expect(matchesOf(p, input)).toEqual(
      expected(
        'start:s1 middle:m1 end:e1',
        'start:s1 middle:m1,m2 end:e1',
        'start:s1 middle:m2 end:e1',
        'start:s1 middle:m3 end:e1',
      ),
    );
  });

  test('the context exposes the event timestamp', () => {
    const p = Pattern.begin<Ev>('a').where(iterative((_, ctx) => ctx.timestamp === 2));
    expect(matchesOf(p, 'a1 a2 a3')).toEqual(expected('a:a2'));
  });
});
