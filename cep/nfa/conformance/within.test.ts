import { Pattern } from '../../pattern';
import { CepHarness } from '../harness';
import { ev, show, type Ev } from './fixtures';

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
