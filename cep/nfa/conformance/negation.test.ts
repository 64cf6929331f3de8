import { Pattern } from '../../pattern';
import { CepHarness } from '../harness';
import { events, expected, is, matchesOf, show, type Ev } from './fixtures';

const a = () => Pattern.begin<Ev>('a').where(is('a'));

describe('notNext', () => {
  const p = () => a().notNext('notB').where(is('b')).followedBy('c').where(is('c'));

  test('a matching event right after the previous stage kills the run', () => {
    expect(matchesOf(p(), 'a1 b1 c1')).toEqual([]);
  });

  test('only the very next event counts', () => {
    expect(matchesOf(p(), 'a1 d1 b1 c1')).toEqual(expected('a:a1 c:c1'));
  });

  test('as the last stage, the match completes on the next non-matching event', () => {
    const last = a().notNext('notB').where(is('b'));
    expect(matchesOf(last, 'a1 b1')).toEqual([]);
    expect(matchesOf(last, 'a1 c1')).toEqual(expected('a:a1'));
  });
});

describe('notFollowedBy', () => {
  const p = () => a().notFollowedBy('notB').where(is('b')).followedBy('c').where(is('c'));

  test('a matching event anywhere before the next stage kills the run', () => {
    expect(matchesOf(p(), 'a1 d1 b1 c1')).toEqual([]);
  });

  test('a matching event after the next stage does not', () => {
    expect(matchesOf(p(), 'a1 d1 c1 b1')).toEqual(expected('a:a1 c:c1'));
  });

  // NFACompiler.copyWithoutTransitiveNots: a !b c? d accepts "a c b d" but not "a b d".
  test('an optional stage taken after the NOT ends its scope', () => {
    const optional = a()
      .notFollowedBy('notB')
      .where(is('b'))
      .followedByAny('c')
      .where(is('c'))
      .optional()
      .followedByAny('d')
      .where(is('d'));
    expect(matchesOf(optional, 'a1 c1 b1 d1')).toEqual(expected('a:a1 c:c1 d:d1'));
    expect(matchesOf(optional, 'a1 b1 d1')).toEqual([]);
  });

  test('before a looping stage (NotPatternITCase.testNotFollowedByBeforeOneOrMore, eager)', () => {
    const beforeLoop = a()
      .followedBy('b')
      .where(is('b'))
      .oneOrMore()
      .notFollowedBy('notC')
      .where(is('c'))
      .followedBy('d')
      .where(is('d'));
    expect(matchesOf(beforeLoop, 'a1 b1 c1 b2 d1')).toEqual([]);
    expect(matchesOf(beforeLoop, 'a1 b1 b2 d1')).toEqual(expected('a:a1 b:b1 d:d1', 'a:a1 b:b1,b2 d:d1'));
  });
});

// FlinkCEP docs: a pattern may end with notFollowedBy when within() bounds it.
describe('trailing notFollowedBy with within', () => {
  const p = () => a().notFollowedBy('notB').where(is('b')).within(10);

  test('completes when the window closes without the NOT event', () => {
    const harness = CepHarness.forPattern(p()).withTimeouts().build();
    expect(harness.feed(events('a1 c1 c2'))).toEqual([]);
    expect(show(harness.advanceWatermark(10).matches)).toEqual([]);
    expect(show(harness.advanceWatermark(11).matches)).toEqual(expected('a:a1'));
    expect(harness.timedOut).toEqual([]);
    expect(harness.nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
  });

  test('the NOT event inside the window kills the run', () => {
    const harness = CepHarness.forPattern(p()).build();
    harness.feed(events('a1 c1 b1'));
    expect(harness.advanceWatermark(100).matches).toEqual([]);
    expect(harness.nfa.metrics.bufferedEvents).toBe(0);
  });

  test('an event at the window end no longer counts; the match is emitted before it', () => {
    const harness = CepHarness.forPattern(p()).build();
    const input = [
      { event: { kind: 'a', label: 'a1', price: 0 }, timestamp: 0 },
      { event: { kind: 'b', label: 'b1', price: 0 }, timestamp: 10 },
    ];
    expect(show(harness.feed(input))).toEqual(expected('a:a1'));
  });
});
