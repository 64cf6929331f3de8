import { compile } from '../../compiler';
import { MalformedPatternError, Pattern, WithinType } from '../../pattern';
import { CepHarness } from '../harness';
import { Nfa } from '../nfa';
import { ev, is, show, type Ev } from './fixtures';

const at = (label: string, timestamp: number) => ({ event: ev(label), timestamp });
const aThenB = () => Pattern.begin<Ev>('a').where((e) => e.kind === 'a').followedBy('b').where((e) => e.kind === 'b');

describe('within', () => {
  test('a match must complete before first event + within', () => {
    const harness = CepHarness.forPattern(aThenB().within(5)).build();
    expect(show(harness.feed([at('a1', 1), at('b1', 5)]))).toEqual(['a:a1 b:b1']);
    const late = CepHarness.forPattern(aThenB().within(5)).build();
    expect(show(late.feed([at('a1', 1), at('b1', 6)]))).toEqual([]);
  });

  test('timed-out partial matches are reported with the window end', () => {
    const harness = CepHarness.forPattern(aThenB().within(5)).withTimeouts().build();
    harness.feed([at('a1', 1), at('c1', 2), at('a2', 3)]);
    expect(harness.advanceWatermark(5).timedOut).toEqual([]);
    const { timedOut } = harness.advanceWatermark(6);
    expect(timedOut).toEqual([{ match: { a: [ev('a1')] }, timeoutTimestamp: 6 }]);
    expect(harness.advanceWatermark(100).timedOut).toEqual([{ match: { a: [ev('a2')] }, timeoutTimestamp: 8 }]);
    expect(harness.nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
  });

  test('an event past the window times the run out before it is processed', () => {
    const harness = CepHarness.forPattern(aThenB().within(5)).withTimeouts().build();
    harness.feed([at('a1', 1), at('b1', 9)]);
    expect(harness.timedOut).toEqual([{ match: { a: [ev('a1')] }, timeoutTimestamp: 6 }]);
  });

  test('without timeouts requested, nothing is reported but state is still pruned', () => {
    const harness = CepHarness.forPattern(aThenB().within(5)).build();
    harness.feed([at('a1', 1), at('a2', 2)]);
    expect(harness.nfa.metrics.partialMatches).toBe(2);
    expect(harness.advanceWatermark(10)).toEqual({ matches: [], timedOut: [] });
    expect(harness.nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
  });

  test('the smallest of several within() bounds applies', () => {
    const p = Pattern.begin<Ev>('a').where((e) => e.kind === 'a').within(100).followedBy('b').where((e) => e.kind === 'b').within(3);
    const harness = CepHarness.forPattern(p).build();
    expect(harness.feed([at('a1', 1), at('b1', 4)])).toEqual([]);
  });
});

// FlinkCEP's window kinds, with its NFAITCase, NotPatternITCase, CEPITCase and NFACompilerTest cases as the reference.
describe('within(ms, WithinType.PREVIOUS_AND_CURRENT)', () => {
  const startMiddleEnd = (followedBy: 'followedBy' | 'followedByAny') =>
    Pattern.begin<Ev>('start').where(is('start'))[followedBy]('middle').where(is('middle'))[followedBy]('end').where(is('end'));
  const flinkInput = [at('start1', 1), at('start2', 2), at('middle3', 3), at('foobar4', 4), at('end5', 11), at('end6', 13)];

  test('bounds the time from the previous event, not from the first: testSimplePatternWithTimeWindowNFAWithin*', () => {
    const firstAndLast = CepHarness.forPattern(startMiddleEnd('followedBy').within(10)).build();
    expect(show(firstAndLast.feed(flinkInput))).toEqual(['start:start2 middle:middle3 end:end5']);
    const previousAndCurrent = CepHarness.forPattern(startMiddleEnd('followedBy').within(9, WithinType.PREVIOUS_AND_CURRENT)).build();
    expect(show(previousAndCurrent.feed(flinkInput))).toEqual(['start:start1 middle:middle3 end:end5', 'start:start2 middle:middle3 end:end5']);
  });

  test('times out the runs waiting for its stage, at their previous event plus the window: testSimplePatternWithTimeoutHandlingWithin*', () => {
    const firstAndLast = CepHarness.forPattern(startMiddleEnd('followedByAny').within(10)).withTimeouts().build();
    expect(firstAndLast.feed(flinkInput)).toHaveLength(1);
    expect(firstAndLast.timedOut).toEqual(
      expect.arrayContaining([
        { match: { start: [ev('start1')], middle: [ev('middle3')] }, timeoutTimestamp: 11 },
        { match: { start: [ev('start2')], middle: [ev('middle3')] }, timeoutTimestamp: 12 },
        { match: { start: [ev('start1')] }, timeoutTimestamp: 11 },
        { match: { start: [ev('start2')] }, timeoutTimestamp: 12 },
      ]),
    );
    expect(firstAndLast.timedOut).toHaveLength(4);

    const previousAndCurrent = CepHarness.forPattern(startMiddleEnd('followedByAny').within(10, WithinType.PREVIOUS_AND_CURRENT)).withTimeouts().build();
    expect(previousAndCurrent.feed(flinkInput)).toHaveLength(2);
    expect(previousAndCurrent.timedOut).toEqual([
      { match: { start: [ev('start1')], middle: [ev('middle3')] }, timeoutTimestamp: 13 },
      { match: { start: [ev('start2')], middle: [ev('middle3')] }, timeoutTimestamp: 13 },
    ]);
  });

  test('only the gap into its own stage is bounded: CEPITCase.testTimeoutHandlingWithinPreviousAndCurrent', () => {
    const input = [at('start1', 1), at('start2', 4), at('middle1', 5), at('end1', 6)];
    const firstAndLast = CepHarness.forPattern(startMiddleEnd('followedByAny').within(3)).withTimeouts().build();
    expect(show(firstAndLast.feed(input))).toEqual(['start:start2 middle:middle1 end:end1']);
    firstAndLast.advanceWatermark(Number.MAX_SAFE_INTEGER);
    expect(firstAndLast.timedOut.map(({ match }) => match.start![0]!.label).sort()).toEqual(['start1', 'start2', 'start2']);

    const previousAndCurrent = CepHarness.forPattern(startMiddleEnd('followedByAny').within(3, WithinType.PREVIOUS_AND_CURRENT)).withTimeouts().build();
    expect(show(previousAndCurrent.feed(input))).toEqual(['start:start1 middle:middle1 end:end1', 'start:start2 middle:middle1 end:end1']);
    previousAndCurrent.advanceWatermark(Number.MAX_SAFE_INTEGER);
    expect(previousAndCurrent.timedOut).toEqual([
      { match: { start: [ev('start1')], middle: [ev('middle1')] }, timeoutTimestamp: 8 },
      { match: { start: [ev('start2')], middle: [ev('middle1')] }, timeoutTimestamp: 8 },
    ]);
  });

  test.each([WithinType.FIRST_AND_LAST, WithinType.PREVIOUS_AND_CURRENT])(
    'a trailing notFollowedBy completes when its window closes (%s): testPendingStateMatchesWithin*, testNotFollowedByWithin*AtEnd',
    (type) => {
      const pending = CepHarness.forPattern(Pattern.begin<Ev>('start').where(is('start')).notFollowedBy('middle').where(is('middle')).within(5, type)).build();
      expect(show(pending.feed([at('start1', 1), at('middle2', 4), at('start3', 5), at('start4', 11), at('middle5', 18)]))).toEqual(['start:start3', 'start:start4']);
      const atEnd = CepHarness.forPattern(Pattern.begin<Ev>('a').where(is('a')).notFollowedBy('b').where(is('b')).within(3, type)).build();
      expect(show(atEnd.feed([at('a1', 1), at('b1', 2), at('a2', 4), at('c', 5), at('b2', 10), at('a3', 11), at('b3', 13)]))).toEqual(['a:a2']);
    },
  );

  test('runs in a loop before the bounded stage are not cleared by it: testZeroOrMoreClearingBufferWithin*', () => {
    const pattern = (type: WithinType) =>
      Pattern.begin<Ev>('start').where(is('c')).followedBy('middle').where(is('a')).oneOrMore().allowCombinations().optional().followedBy('end1').where(is('b')).within(8, type);
    const input = [at('c', 1), at('a1', 3), at('a2', 4), at('b', 6)];
    const firstAndLast = CepHarness.forPattern(pattern(WithinType.FIRST_AND_LAST)).build();
    firstAndLast.feed(input);
    firstAndLast.advanceWatermark(10);
    expect(firstAndLast.nfa.metrics.partialMatches).toBe(0);
    const previousAndCurrent = CepHarness.forPattern(pattern(WithinType.PREVIOUS_AND_CURRENT)).build();
    previousAndCurrent.feed(input);
    previousAndCurrent.advanceWatermark(10);
    // Flink: three partial matches, two in middle's loop and the start state (not counted here).
    expect(previousAndCurrent.nfa.metrics.partialMatches).toBe(2);
  });

  test('each stage keeps its own window: NFACompilerTest.testWindowTimesCorrectlySet', () => {
    const pattern = Pattern.begin<Ev>('start')
      .followedBy('middle')
      .within(10_000, WithinType.PREVIOUS_AND_CURRENT)
      .followedBy('then')
      .within(20_000, WithinType.PREVIOUS_AND_CURRENT)
      .followedBy('end');
    const windows = compile(pattern).states.filter((state) => state.windowMs > 0).map((state) => [state.name, state.windowMs]);
    expect(windows).toEqual(expect.arrayContaining([['middle', 10_000], ['then', 20_000]]));
    expect(new Set(windows.map(([name]) => name))).toEqual(new Set(['middle', 'then']));
  });

  test.each([
    [
      'longer than the whole pattern window: NFACompilerTest.testCheckPatternWindowTimes',
      () => Pattern.begin<Ev>('start').followedBy('middle').within(3000, WithinType.PREVIOUS_AND_CURRENT).followedBy('end').within(2),
      /window between the previous and the current event \(3000 ms\) cannot be longer than the window of the whole pattern \(2 ms\)/,
    ],
    [
      'on a quantified stage, where FlinkCEP ignores it',
      () => Pattern.begin<Ev>('start').times(4).within(3, WithinType.PREVIOUS_AND_CURRENT),
      /applies to a stage of one event, not to a quantified stage or a group/,
    ],
    ['of an unknown kind', () => Pattern.begin<Ev>('start').within(3, 'sliding' as WithinType), /within\(\) takes a WithinType, got sliding/],
  ])('is refused %s', (_, build, message) => {
    expect(() => compile(build())).toThrow(MalformedPatternError);
    expect(() => compile(build())).toThrow(message);
  });
});

describe('a snapshot of runs bounded since their previous event', () => {
  test('keeps each run’s previous event time, so a restored run times out when the original would', () => {
    const pattern = () => Pattern.begin<Ev>('a').where(is('a')).followedByAny('b').where(is('b')).within(4, WithinType.PREVIOUS_AND_CURRENT);
    const before = Nfa.create(compile(pattern()), { timeouts: true });
    before.process(ev('a1'), 1);
    // b1 completes a match; the run that let it pass still counts from a1.
    before.process(ev('b1'), 3);
    expect(before.toSnapshot().partialMatches.map((run) => run.previousTimestamp)).toEqual([1, 0]);
    const restored = Nfa.fromSnapshot(compile(pattern()), JSON.parse(JSON.stringify(before.toSnapshot())), { timeouts: true });
    expect(restored.nextWindowEnd).toBe(5);
    expect(restored.advanceTime(10)).toEqual(before.advanceTime(10));
  });

  test('of a pattern without such windows carries no previous event times, as before they existed', () => {
    const nfa = Nfa.create(compile(Pattern.begin<Ev>('a').where(is('a')).followedBy('b').where(is('b')).within(4)));
    nfa.process(ev('a1'), 1);
    expect(nfa.toSnapshot().partialMatches.every((run) => !('previousTimestamp' in run))).toBe(true);
  });
});
