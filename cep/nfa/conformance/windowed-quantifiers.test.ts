// A window between a quantified stage's events (times(from, to, windowMs), timesOrMore(n, windowMs)),
// with FlinkCEP's TimesRangeITCase and TimesOrMoreITCase as the reference: each case runs without a
// window and with one of 3 ms, and the matches are Flink's for both.
import { Pattern } from '../../pattern';
import { ev, expected, is, matchesOf, type Ev } from './fixtures';

/** "c@1 a1@2" → events at the given timestamps. */
const at = (input: string) =>
  input.split(' ').map((item) => {
    const [label, time] = item.split('@') as [string, string];
    return { event: ev(label), timestamp: Number(time) };
  });

type Middle = (middle: Pattern<Ev>, windowMs: number | undefined) => Pattern<Ev>;
type Join = 'next' | 'followedBy' | 'followedByAny';

/** c, then `middle` (kind a) joined by `join` and quantified by `quantify`, then followedBy b. */
const cab = (join: Join, quantify: Middle, windowMs: number | undefined) =>
  quantify(Pattern.begin<Ev>('start').where(is('c'))[join]('middle').where(is('a')), windowMs).followedBy('end1').where(is('b'));

/** Matches written as the middle's events, "" for none: "a1,a2" is "start:c middle:a1,a2 end1:b". */
const matches = (middles: string[]) => expected(...middles.map((m) => (m === '' ? 'start:c end1:b' : `start:c middle:${m} end1:b`)));

const CONSECUTIVE = 'c@1 a1@2 a2@3 a3@4 b@6';
const WITH_FILLERS = 'c@1 f@2 a1@3 f@4 a2@5 a3@6 b@7';
const SPREAD = 'c@1 a1@2 a2@4 a3@6 b@7';

// [FlinkCEP test, join, quantifier, input, matches with the 3 ms window, the matches only without it]
const CASES: [string, Join, Middle, string, string[], string[]][] = [
  ['TimesRange.testTimesRange', 'next', (m, w) => m.times(1, 3, w).allowCombinations(), CONSECUTIVE, ['a1,a2,a3', 'a1,a2', 'a1,a3', 'a1'], []],
  ['TimesRange.testTimesRangeFromZero', 'next', (m, w) => m.times(0, 2, w).allowCombinations(), CONSECUTIVE, ['a1,a2', 'a1,a3', 'a1', ''], []],
  ['TimesRange.testTimesRangeNonStrict', 'followedByAny', (m, w) => m.times(1, 3, w).allowCombinations(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2', 'a1,a3', 'a1'], ['a2,a3', 'a2', 'a3']],
  ['TimesRange.testTimesRangeStrict', 'followedByAny', (m, w) => m.times(0, 3, w).consecutive(), WITH_FILLERS, ['a2,a3', 'a1', 'a2', 'a3', ''], []],
  ['TimesRange.testTimesRangeStrictOptional', 'followedByAny', (m, w) => m.times(1, 3, w).consecutive().optional(), WITH_FILLERS, ['a2,a3', 'a1', 'a2', 'a3', ''], []],
  ['TimesRange.testTimesRangeStrictOptional1', 'next', (m, w) => m.times(1, 3, w).consecutive().optional(), 'c@1 a1@3 a2@5 a3@6 b@7', ['a1,a2,a3', 'a1,a2', 'a1', ''], []],
  ['TimesRange.testTimesRangeNonStrictOptional1', 'followedBy', (m, w) => m.times(1, 3, w).optional(), 'c@1 f@2 b@7', [''], []],
  ['TimesRange.testTimesRangeNonStrictOptional2', 'followedByAny', (m, w) => m.times(2, 3, w).allowCombinations().optional(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2', 'a2,a3', ''], ['a1,a3']],
  ['TimesRange.testTimesRangeNonStrictOptional3', 'followedByAny', (m, w) => m.times(2, 3, w).optional(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2', 'a2,a3', ''], []],
  ['TimesRange.testTimesRangeNonStrictWithNext', 'next', (m, w) => m.times(2, 3, w).allowCombinations(), 'c@1 a1@2 f@3 a2@4 f@5 a3@6 b@7', ['a1,a2,a3', 'a1,a2'], ['a1,a3']],
  ['TimesRange.testTimesRangeNotStrictWithFollowedBy', 'followedBy', (m, w) => m.times(2, 3, w), SPREAD, ['a1,a2,a3', 'a1,a2'], []],
  ['TimesRange.testTimesRangeNotStrictWithFollowedByAny', 'followedByAny', (m, w) => m.times(2, 3, w).allowCombinations(), SPREAD, ['a1,a2,a3', 'a1,a2'], ['a2,a3', 'a1,a3']],
  ['TimesOrMore.testTimesOrMore', 'followedBy', (m, w) => m.timesOrMore(2, w).allowCombinations(), CONSECUTIVE, ['a1,a2,a3', 'a1,a2', 'a1,a3'], []],
  ['TimesOrMore.testTimesOrMoreNonStrict', 'followedByAny', (m, w) => m.timesOrMore(2, w).allowCombinations(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2'], ['a1,a3', 'a2,a3']],
  ['TimesOrMore.testTimesOrMoreStrictOptional', 'followedByAny', (m, w) => m.timesOrMore(2, w).consecutive().optional(), WITH_FILLERS, ['a2,a3', ''], []],
  ['TimesOrMore.testTimesOrMoreStrictOptional2', 'next', (m, w) => m.timesOrMore(2, w).consecutive().optional(), 'c@1 a1@3 a2@5 a3@6 b@7', ['a1,a2,a3', 'a1,a2', ''], []],
  ['TimesOrMore.testTimesOrMoreNonStrictOptional', 'followedBy', (m, w) => m.timesOrMore(2, w).optional(), 'c@1 f@2 b@7', [''], []],
  ['TimesOrMore.testTimesOrMoreNonStrictOptional2', 'followedByAny', (m, w) => m.timesOrMore(2, w).allowCombinations().optional(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2', 'a2,a3', ''], ['a1,a3']],
  ['TimesOrMore.testTimesOrMoreNonStrictOptional3', 'followedByAny', (m, w) => m.timesOrMore(2, w).optional(), WITH_FILLERS, ['a1,a2,a3', 'a1,a2', 'a2,a3', ''], []],
  ['TimesOrMore.testTimesOrMoreNonStrictWithNext', 'next', (m, w) => m.timesOrMore(2, w).allowCombinations(), 'c@1 a1@2 f@3 a2@4 f@5 a3@6 b@7', ['a1,a2,a3', 'a1,a2'], ['a1,a3']],
  ['TimesOrMore.testTimesOrMoreNotStrictWithFollowedBy', 'followedBy', (m, w) => m.timesOrMore(2, w), SPREAD, ['a1,a2,a3', 'a1,a2'], []],
  ['TimesOrMore.testTimesOrMoreNotStrictWithFollowedByAny', 'followedByAny', (m, w) => m.timesOrMore(2, w).allowCombinations(), SPREAD, ['a1,a2,a3', 'a1,a2'], ['a2,a3', 'a1,a3']],
];

describe.each(CASES)('%s', (_, join, quantify, input, withWindow, withoutWindowToo) => {
  test('without a window', () => {
    expect(matchesOf(cab(join, quantify, undefined), at(input))).toEqual(matches([...withWindow, ...withoutWindowToo]));
  });
  test('with a 3 ms window between the stage’s events', () => {
    expect(matchesOf(cab(join, quantify, 3), at(input))).toEqual(matches(withWindow));
  });
});

describe('a window between a stage’s events is refused', () => {
  test.each([
    ['when it is not positive', () => cab('followedBy', (m) => m.timesOrMore(2, 0), undefined), /timesOrMore\(2\): the window between the stage's events must be a positive duration, got 0/],
    ['when it is longer than the whole pattern’s', () => cab('followedBy', (m) => m.times(2, 2, 50), undefined).within(10), /the window between the stage's events \(50 ms\) cannot be longer than the window of the whole pattern \(10 ms\)/],
    ['on a group', () => Pattern.begin<Ev>('x').followedBy(Pattern.begin<Ev>('y').next('z')).oneOrMore(5).followedBy('end'), /a window between a group's repetitions is not supported/],
  ])('%s', (_, build, message) => {
    expect(() => matchesOf(build(), 'c')).toThrow(message);
  });
});
