import { compile } from '../../compiler';
import type { Pattern } from '../../pattern';
import { CepHarness, describeMatches, type TimedEvent } from '../harness';
import { Nfa, type Match } from '../nfa';

/** Test event: `label` like "a1" names the event, `kind` ("a") is what conditions test. */
export interface Ev {
  readonly kind: string;
  readonly label: string;
  readonly price: number;
}

export function ev(label: string, price = 0): Ev {
  return { kind: label.replace(/\d+$/, '').toLowerCase(), label, price };
}

export const is =
  (...kinds: string[]) =>
  (e: Ev): boolean =>
    kinds.includes(e.kind);

/** "a1 c b1" → events at timestamps 1, 2, 3. */
export function events(input: string, firstTimestamp = 1): TimedEvent<Ev>[] {
  return input
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map((label, i) => ({ event: ev(label), timestamp: firstTimestamp + i }));
}

export const show = (matches: readonly Match<Ev>[]): string[] => describeMatches(matches, (e) => e.label);

/** The matches of `pattern` over `input`, order-insensitive. */
export function matchesOf(pattern: Pattern<Ev>, input: string | TimedEvent<Ev>[]): string[] {
  const harness = CepHarness.forPattern(pattern).build();
  return show(harness.feed(typeof input === 'string' ? events(input) : input));
}

/** Expected matches written like "a:a1 b:b1,b2", sorted to compare with `matchesOf`. */
export const expected = (...matches: string[]): string[] => [...matches].sort();

export function nfaFor(pattern: Pattern<Ev>): Nfa<Ev> {
  return Nfa.create(compile(pattern), { timeouts: true });
}
