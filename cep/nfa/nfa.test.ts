import { CepErrorCode, isCepError } from '../errors';
import { compile } from '../compiler';
import { Pattern } from '../pattern';
import { events, is, show, type Ev } from './conformance/fixtures';
import { Nfa, type Match } from './index';

const pattern = () =>
  Pattern.begin<Ev>('a')
    .where(is('a'))
    .followedByAny('b')
    .where(is('b'))
    .oneOrMore()
    .followedBy('c')
    .where(is('c'))
    .within(6);

function runAll(nfa: Nfa<Ev>, input: ReturnType<typeof events>): Match<Ev>[] {
  return input.flatMap(({ event, timestamp }) => nfa.process(event, timestamp).matches);
}

describe('Nfa snapshots', () => {
  const input = events('a1 b1 a2 b2 b3 c1 b4 c2 a3 b5');

  test('a restored NFA continues exactly where the snapshot was taken', () => {
    const automaton = compile(pattern());
    const uninterrupted = show(runAll(Nfa.create(automaton), input));
    for (let cut = 0; cut <= input.length; cut++) {
      const before = Nfa.create(automaton);
      const first = runAll(before, input.slice(0, cut));
      const snapshot = JSON.parse(JSON.stringify(before.toSnapshot()));
      const after = Nfa.fromSnapshot(compile(pattern()), snapshot);
      expect(show([...first, ...runAll(after, input.slice(cut))])).toEqual(uninterrupted);
      expect(after.metrics).toEqual(
        (() => {
          runAll(before, input.slice(cut));
          return before.metrics;
        })(),
      );
    }
  });

  test('refers to events by id and stores each buffered event once', () => {
    const nfa = Nfa.create(compile(pattern()));
    runAll(nfa, events('a1 b1 b2 b3'));
    const snapshot = nfa.toSnapshot();
    expect(snapshot.buffer.events.map((e) => e.event.label)).toEqual(['a1', 'b1', 'b2', 'b3']);
    expect(snapshot.partialMatches.length).toBeGreaterThan(4);
  });

  test('rejects a snapshot from another pattern', () => {
    const nfa = Nfa.create(compile(pattern()));
    runAll(nfa, events('a1 b1'));
    const other = compile(Pattern.begin<Ev>('x').next('y'));
    let error: unknown;
    try {
      Nfa.fromSnapshot(other, nfa.toSnapshot());
    } catch (e) {
      error = e;
    }
    expect(isCepError(error, CepErrorCode.InvalidSnapshot)).toBe(true);
  });
});

describe('Nfa metrics', () => {
  test('count live runs and buffered events, sharing events between runs', () => {
    const nfa = Nfa.create(compile(pattern()));
    runAll(nfa, events('a1 b1 b2 b3 b4'));
    // Runs overlap heavily, but each event is buffered once.
    expect(nfa.metrics.bufferedEvents).toBe(5);
    expect(nfa.metrics.partialMatches).toBeGreaterThan(5);
    nfa.advanceTime(1_000);
    expect(nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
  });

  test('events no run takes are never buffered', () => {
    const nfa = Nfa.create(compile(pattern()));
    runAll(nfa, events('x1 x2 x3'));
    expect(nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
  });

  test('process returns one shared empty output when nothing happened', () => {
    const nfa = Nfa.create(compile(pattern()));
    expect(nfa.process({ kind: 'x', label: 'x1', price: 0 }, 1)).toBe(nfa.process({ kind: 'x', label: 'x2', price: 0 }, 2));
  });
});
