import fc from 'fast-check';
import { compile } from '../compiler';
import { Pattern } from '../pattern';
import { ev, show, type Ev } from './conformance/fixtures';
import { Nfa, type Match } from './index';

/**
 * The shared buffer must produce exactly the matches a naive enumerator finds, and leave
 * nothing behind once every run has ended (cf. FLINK-19970, FLINK-23314).
 */

type Contiguity = 'next' | 'followedBy' | 'followedByAny';
const kinds = ['a', 'b', 'c'] as const;

const inputArb = fc.array(fc.constantFrom(...kinds), { maxLength: 14 });
const windowArb = fc.integer({ min: 1, max: 10 });

function label(input: readonly string[]): Ev[] {
  return input.map((kind, i) => ev(`${kind}${i}`));
}

function runNfa(pattern: Pattern<Ev>, input: Ev[]): { matches: Match<Ev>[]; nfa: Nfa<Ev> } {
  const nfa = Nfa.create(compile(pattern));
  const matches = input.flatMap((event, i) => nfa.process(event, i).matches);
  return { matches: [...matches, ...nfa.advanceTime(Number.MAX_SAFE_INTEGER).matches], nfa };
}

/** Singleton stages: every way of picking one event per stage that the contiguities allow. */
function referenceSequence(stages: readonly string[], contiguity: readonly Contiguity[], input: Ev[], window: number): string[] {
  const out: string[] = [];
  const extend = (picked: number[]): void => {
    const k = picked.length;
    if (k === stages.length) {
      out.push(picked.map((i, s) => `s${s}:${input[i]!.label}`).join(' '));
      return;
    }
    const first = picked[0]!;
    const last = picked[k - 1]!;
    const fits = (j: number) => j < input.length && input[j]!.kind === stages[k] && j - first < window;
    const how = contiguity[k - 1]!;
    if (how === 'next') {
      if (fits(last + 1)) extend([...picked, last + 1]);
    } else {
      for (let j = last + 1; j < input.length && j - first < window; j++) {
        if (input[j]!.kind !== stages[k]) continue;
        if (fits(j)) extend([...picked, j]);
        if (how === 'followedBy') break;
      }
    }
  };
  input.forEach((e, i) => {
    if (e.kind === stages[0]) extend([i]);
  });
  return out.sort();
}

function sequencePattern(stages: readonly string[], contiguity: readonly Contiguity[], window: number): Pattern<Ev> {
  let p = Pattern.begin<Ev>('s0').where((e) => e.kind === stages[0]);
  contiguity.forEach((how, i) => {
    p = p[how](`s${i + 1}`).where((e) => e.kind === stages[i + 1]);
  });
  return p.within(window);
}

test('singleton sequences with any contiguity match the reference enumerator', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...kinds), { minLength: 2, maxLength: 4 }),
      fc.array(fc.constantFrom<Contiguity>('next', 'followedBy', 'followedByAny'), { minLength: 3, maxLength: 3 }),
      inputArb,
      windowArb,
      (stages, contiguities, kindsIn, window) => {
        const contiguity = contiguities.slice(0, stages.length - 1);
        const input = label(kindsIn);
        const { matches, nfa } = runNfa(sequencePattern(stages, contiguity, window), input);
        expect(show(matches)).toEqual(referenceSequence(stages, contiguity, input, window));
        expect(nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
      },
    ),
    { numRuns: 300 },
  );
});

/** a b+ c with relaxed contiguity: every prefix of the b events after a, then the next c. */
function referenceLoop(input: Ev[], window: number): string[] {
  const out: string[] = [];
  input.forEach((a, i) => {
    if (a.kind !== 'a') return;
    const bs: string[] = [];
    for (let j = i + 1; j < input.length && j - i < window; j++) {
      if (input[j]!.kind !== 'b') continue;
      bs.push(input[j]!.label);
      const c = input.findIndex((e, k) => k > j && e.kind === 'c');
      if (c >= 0 && c - i < window) out.push(`a:${a.label} b:${bs.join(',')} c:${input[c]!.label}`);
    }
  });
  return out.sort();
}

test('a relaxed loop matches the reference enumerator and leaves the buffer empty', () => {
  const pattern = (window: number) =>
    Pattern.begin<Ev>('a')
      .where((e) => e.kind === 'a')
      .followedBy('b')
      .where((e) => e.kind === 'b')
      .oneOrMore()
      .followedBy('c')
      .where((e) => e.kind === 'c')
      .within(window);
  fc.assert(
    fc.property(inputArb, windowArb, (kindsIn, window) => {
      const input = label(kindsIn);
      const { matches, nfa } = runNfa(pattern(window), input);
      expect(show(matches)).toEqual(referenceLoop(input, window));
      expect(nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
    }),
    { numRuns: 300 },
  );
});

test('every shape leaves the buffer empty once all runs ended', () => {
  const shapes: ((w: number) => Pattern<Ev>)[] = [
    (w) => Pattern.begin<Ev>('a').where((e) => e.kind === 'a').followedByAny('b').where((e) => e.kind === 'b').oneOrMore().allowCombinations().followedByAny('c').where((e) => e.kind === 'c').within(w),
    (w) => Pattern.begin<Ev>('a').where((e) => e.kind !== 'c').oneOrMore().greedy().notFollowedBy('n').where((e) => e.kind === 'c').followedBy('b').where((e) => e.kind === 'b').within(w),
    (w) => Pattern.begin<Ev>('a').where((e) => e.kind === 'a').times(1, 3).optional().followedBy('b').where((e) => e.kind === 'b').notFollowedBy('n').where((e) => e.kind === 'c').within(w),
    (w) => Pattern.begin<Ev>('a').where((e) => e.kind === 'a').notNext('n').where((e) => e.kind === 'b').followedByAny('c').where((e) => e.kind !== 'a').oneOrMore().until((e) => e.kind === 'a').within(w),
  ];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: shapes.length - 1 }), inputArb, windowArb, (shape, kindsIn, window) => {
      const { nfa } = runNfa(shapes[shape]!(window), label(kindsIn));
      expect(nfa.metrics).toEqual({ partialMatches: 0, bufferedEvents: 0, bufferNodes: 0 });
    }),
    { numRuns: 400 },
  );
});
