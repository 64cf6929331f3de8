// Group patterns, with FlinkCEP's GroupITCase as the reference: each test's pattern, input and
// matches are Flink's (Flink compares a match's events as a set; these compare them by stage).
import { MalformedPatternError, Pattern } from '../../pattern';
import { expected, is, matchesOf, type Ev } from './fixtures';

/** The group `(a b)`: stage middle1 takes an a, then middle2 (relaxed) a b. */
const ab = () => Pattern.begin<Ev>('middle1').where(is('a')).followedBy('middle2').where(is('b'));
const startC = () => Pattern.begin<Ev>('start').where(is('c'));

describe('a group repeated, optional or looping (GroupITCase)', () => {
  test('c (a b){2} d: testGroupFollowedByTimes', () => {
    const pattern = startC().followedBy(ab()).times(2).followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 d')).toEqual(expected('start:c middle1:a1,a2 middle2:b1,b2 end:d'));
  });

  test('c (a b)? d: testGroupFollowedByOptional', () => {
    const pattern = startC().followedBy(ab()).optional().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 a2 b d')).toEqual(expected('start:c end:d', 'start:c middle1:a1 middle2:b end:d'));
  });

  test('c (a b){2}? d with the group begun but not complete: testFollowedByGroupTimesOptional', () => {
    const pattern = startC().followedBy(ab()).times(2).optional().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a d')).toEqual(expected('start:c end:d'));
  });

  test('c (a b)+ d: testGroupFollowedByOneOrMore', () => {
    // #region group (shown in docs/rules.md)
    const ab = Pattern.begin<Ev>('middle1').where(is('a')).followedBy('middle2').where(is('b'));
    const pattern = Pattern.begin<Ev>('start')
      .where(is('c'))
      .followedBy(ab)
      .oneOrMore()
      .followedBy('end')
      .where(is('d'));
    // #endregion group
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 d')).toEqual(
      expected('start:c middle1:a1 middle2:b1 end:d', 'start:c middle1:a1,a2 middle2:b1,b2 end:d'),
    );
  });

  test('c (a b)* d: testGroupFollowedByZeroOrMore', () => {
    const pattern = startC().followedBy(ab()).oneOrMore().optional().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 d')).toEqual(
      expected('start:c end:d', 'start:c middle1:a1 middle2:b1 end:d', 'start:c middle1:a1,a2 middle2:b1,b2 end:d'),
    );
  });

  test('c any (a b){2} with combinations: testGroupFollowedByAnyTimesCombinations', () => {
    const pattern = startC().followedByAny(ab()).times(2).allowCombinations().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 a3 b3 d')).toEqual(
      expected(
        'start:c middle1:a1,a2 middle2:b1,b2 end:d',
        'start:c middle1:a1,a3 middle2:b1,b3 end:d',
        'start:c middle1:a2,a3 middle2:b2,b3 end:d',
      ),
    );
  });

  test('c any (a b){2}? d: testGroupFollowedByAnyTimesOptional', () => {
    const pattern = startC().followedByAny(ab()).times(2).optional().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 a3 b3 d')).toEqual(
      expected('start:c end:d', 'start:c middle1:a1,a2 middle2:b1,b2 end:d', 'start:c middle1:a2,a3 middle2:b2,b3 end:d'),
    );
  });

  test('c any (a b)+ d: testGroupFollowedByAnyOneOrMore', () => {
    const pattern = startC().followedByAny(ab()).oneOrMore().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 a3 b3 d')).toEqual(
      expected(
        'start:c middle1:a1 middle2:b1 end:d',
        'start:c middle1:a2 middle2:b2 end:d',
        'start:c middle1:a3 middle2:b3 end:d',
        'start:c middle1:a1,a2 middle2:b1,b2 end:d',
        'start:c middle1:a2,a3 middle2:b2,b3 end:d',
        'start:c middle1:a1,a2,a3 middle2:b1,b2,b3 end:d',
      ),
    );
  });

  test('c next (a b)* d, consecutive: testGroupNextZeroOrMore', () => {
    const pattern = startC().next(ab()).oneOrMore().optional().consecutive().followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 a3 b3 d')).toEqual(
      expected(
        'start:c end:d',
        'start:c middle1:a1 middle2:b1 end:d',
        'start:c middle1:a1,a2 middle2:b1,b2 end:d',
        'start:c middle1:a1,a2,a3 middle2:b1,b2,b3 end:d',
      ),
    );
  });

  test('(a b) then until ends the loop: testGroupFollowedByOneOrMoreWithUntilCondition', () => {
    const pattern = startC().followedBy(ab()).oneOrMore().until(is('d')).followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'c a1 b1 a2 b2 d')).toEqual(
      expected('start:c middle1:a1 middle2:b1 end:d', 'start:c middle1:a1,a2 middle2:b1,b2 end:d'),
    );
  });
});

describe('groups with negation, nesting and at the start (GroupITCase)', () => {
  test('c (a b) ^d e: testGroupNotFollowedBy', () => {
    const pattern = startC().followedByAny(ab()).notFollowedBy('notPattern').where(is('d')).followedBy('end').where(is('e'));
    expect(matchesOf(pattern, 'c a1 b1 d a2 b2 e')).toEqual(expected('start:c middle1:a2 middle2:b2 end:e'));
  });

  test('c (a b) next ^d e: testGroupNotNext', () => {
    const pattern = startC().followedByAny(ab()).notNext('notPattern').where(is('d')).followedBy('end').where(is('e'));
    expect(matchesOf(pattern, 'c a1 b1 d a2 b2 e')).toEqual(expected('start:c middle1:a2 middle2:b2 end:e'));
  });

  const bc = () => Pattern.begin<Ev>('middle2').where(is('b')).followedBy('middle3').where(is('c'));

  test('d (a (b c)*)? e: testGroupNest', () => {
    const inner = Pattern.begin<Ev>('middle1').where(is('a')).followedBy(bc()).oneOrMore().optional();
    const pattern = Pattern.begin<Ev>('start').where(is('d')).followedBy(inner).optional().followedBy('end').where(is('e'));
    expect(matchesOf(pattern, 'd a1 b1 c1 b2 c2 e')).toEqual(
      expected(
        'start:d end:e',
        'start:d middle1:a1 end:e',
        'start:d middle1:a1 middle2:b1 middle3:c1 end:e',
        'start:d middle1:a1 middle2:b1,b2 middle3:c1,c2 end:e',
      ),
    );
  });

  const nestTimes = (consecutive: boolean) => {
    const inner = Pattern.begin<Ev>('middle1').where(is('a')).followedBy(bc()).times(3);
    if (consecutive) inner.consecutive();
    const outer = Pattern.begin<Ev>('start').where(is('d')).followedByAny(inner).times(0, 2);
    if (consecutive) outer.consecutive();
    return outer.followedBy('end').where(is('e'));
  };

  test('d any (a (b c){3}){0, 2} e: testGroupNestTimes', () => {
    expect(matchesOf(nestTimes(false), 'd a1 b1 c1 b2 c2 b3 c3 a2 b4 c4 b5 c5 b6 c6 e')).toEqual(
      expected(
        'start:d end:e',
        'start:d middle1:a1 middle2:b1,b2,b3 middle3:c1,c2,c3 end:e',
        'start:d middle1:a2 middle2:b4,b5,b6 middle3:c4,c5,c6 end:e',
        'start:d middle1:a1,a2 middle2:b1,b2,b3,b4,b5,b6 middle3:c1,c2,c3,c4,c5,c6 end:e',
      ),
    );
  });

  test('the same with both quantifiers consecutive, broken by an event: testGroupNestTimesConsecutive', () => {
    expect(matchesOf(nestTimes(true), 'd a1 b1 c1 b2 c2 b3 c3 a2 b4 c4 breaking b5 c5 b6 c6 e')).toEqual(
      expected('start:d end:e', 'start:d middle1:a1 middle2:b1,b2,b3 middle3:c1,c2,c3 end:e'),
    );
  });

  test('(a b){1, 2} d, a pattern that begins with a group: testGroupBegin', () => {
    const pattern = Pattern.begin<Ev>(ab()).times(1, 2).followedBy('end').where(is('d'));
    expect(matchesOf(pattern, 'a1 b1 a2 b2 d')).toEqual(
      expected('middle1:a1 middle2:b1 end:d', 'middle1:a2 middle2:b2 end:d', 'middle1:a1,a2 middle2:b1,b2 end:d'),
    );
  });

  test('a (b? c) d, a group that starts with an optional stage: testGroupStartsWithOptionalPattern', () => {
    const group = Pattern.begin<Ev>('middle1').where(is('b')).optional().next('middle2').where(is('c'));
    const pattern = Pattern.begin<Ev>('start').where(is('a')).next(group).next('d').where(is('d'));
    expect(matchesOf(pattern, 'a c d')).toEqual(expected('start:a middle2:c d:d'));
  });

  test('a -> (b c)? next d, the skipped group keeps next relative to a: testFollowedByOptionalGroupPattern', () => {
    const group = Pattern.begin<Ev>('middle1').where(is('b')).next('middle2').where(is('c'));
    const pattern = Pattern.begin<Ev>('start').where(is('a')).followedBy(group).optional().next('d').where(is('d'));
    expect(matchesOf(pattern, 'a d1 d2')).toEqual(expected('start:a d:d1'));
  });
});

describe('the builder and compiler refuse what a group cannot be', () => {
  test.each([
    ['a condition on a group', () => startC().followedBy(ab()).where(is('x')), /Group \(middle1 middle2\): where\(\) does not apply to a group/],
    ['greedy on a group', () => startC().followedBy(ab()).oneOrMore().greedy(), /greedy\(\) does not apply to a group/],
    ['a stage name used inside and outside a group', () => Pattern.begin<Ev>('middle1').followedBy(ab()), /Duplicate stage name 'middle1'/],
    ['a looping group of optional stages only', () => {
      const optionalOnly = Pattern.begin<Ev>('x').where(is('x')).optional().followedBy('y').where(is('y')).optional();
      return matchesOf(startC().followedBy(optionalOnly).oneOrMore().followedBy('end').where(is('d')), 'c d');
    }, /a looping group needs a stage that is not optional/],
  ])('%s', (_, build, message) => {
    expect(build).toThrow(MalformedPatternError);
    expect(build).toThrow(message);
  });
});
