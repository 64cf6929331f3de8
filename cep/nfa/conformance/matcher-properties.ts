import fc from 'fast-check';
import { compile } from '../../compiler';
import type { PatternDefinition } from '../../pattern';
import { matcherFactory, type Matcher } from '../matcher';
import { Nfa } from '../nfa';
import { ev, type Ev } from './fixtures';

// What every dedicated matcher must show: step by step the general NFA's observable behaviour,
// and the same behaviour again after a JSON snapshot at any point.

export type Step = { readonly advanceTo: number } | { readonly kind: string; readonly timestamp: number };

/**
 * Events of `kinds` ('w' for a watermark) in event-time order, ties included, with watermarks in
 * between that never pass an event still to come.
 */
export function stepsArb(kinds: readonly string[], maxGap: number, maxLength: number): fc.Arbitrary<Step[]> {
  return fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: maxGap })), { maxLength }).map((raw) => {
    const steps: Step[] = [];
    let time = 0;
    raw.forEach(([what, gap]) => {
      time += gap;
      steps.push(what === 'w' ? { advanceTo: time } : { kind: what, timestamp: time });
    });
    return steps;
  });
}

/** Everything a caller can observe after each step: outputs in order, partial matches, next window end. */
export function observe(matcher: Matcher<Ev>, steps: readonly Step[], firstStep = 0): unknown[] {
  return steps.map((step, i) => {
    const output = 'advanceTo' in step ? matcher.advanceTime(step.advanceTo) : matcher.process(ev(`${step.kind}${firstStep + i}`), step.timestamp);
    return { output, partialMatches: matcher.partialMatches, nextWindowEnd: matcher.nextWindowEnd };
  });
}

/** The factory makes a `dedicated` matcher for the pattern, and it behaves as the NFA does. */
export function expectSameAsNfa(definition: PatternDefinition<Ev>, steps: readonly Step[], dedicated: abstract new (...args: never[]) => unknown): void {
  const fast = matcherFactory(definition).create();
  expect(fast).toBeInstanceOf(dedicated);
  expect(observe(fast, steps)).toEqual(observe(Nfa.create(compile(definition)), steps));
}

/** A matcher restored from its JSON snapshot after `cut` steps goes on as the one never interrupted. */
export function expectSnapshotContinuation(definition: PatternDefinition<Ev>, steps: readonly Step[], cut: number): void {
  const factory = matcherFactory(definition);
  const at = cut % (steps.length + 1);
  const expected = observe(factory.create(), steps);
  const first = factory.create();
  const before = observe(first, steps.slice(0, at));
  const restored = factory.restore(JSON.parse(JSON.stringify(first.toSnapshot())));
  expect([...before, ...observe(restored, steps.slice(at), at)]).toEqual(expected);
}
