import { compile } from '../compiler';
import type { Pattern } from '../pattern';
import { Nfa, type Match, type NfaOutput, type TimedOutMatch } from './nfa';

/** One input record for {@link CepHarness.feed}: an event and its event time, in milliseconds like the pattern's `within`. */
export interface TimedEvent<E> {
  readonly event: E;
  readonly timestamp: number;
}

/**
 * Drives one NFA without any pipeline around it, in the spirit of FlinkCEP's NFATestHarness:
 * `CepHarness.forPattern(p).withTimeouts().build()`, then `feed(...)` and `advanceWatermark(t)`.
 */
export class CepHarness<E> {
  readonly timedOut: TimedOutMatch<E>[] = [];

  constructor(readonly nfa: Nfa<E>) {}

  static forPattern<E>(pattern: Pattern<E>): CepHarnessBuilder<E> {
    return new CepHarnessBuilder(pattern);
  }

  /** Processes the records in order; returns their matches, keeps their timeouts in `timedOut`. */
  feed(records: Iterable<TimedEvent<E>>): Match<E>[] {
    const matches: Match<E>[] = [];
    for (const { event, timestamp } of records) this.#collect(this.nfa.process(event, timestamp), matches);
    return matches;
  }

  advanceWatermark(watermark: number): NfaOutput<E> {
    const output = this.nfa.advanceTime(watermark);
    this.timedOut.push(...output.timedOut);
    return output;
  }

  #collect(output: NfaOutput<E>, matches: Match<E>[]): void {
    matches.push(...output.matches);
    this.timedOut.push(...output.timedOut);
  }
}

/**
 * Configures the {@link CepHarness} for one pattern; obtained from {@link CepHarness.forPattern}. `build()`
 * compiles the pattern and throws a `MalformedPatternError` (a `CepError`) when the pattern is rejected.
 */
export class CepHarnessBuilder<E> {
  #timeouts = false;

  constructor(private readonly pattern: Pattern<E>) {}

  /** Also report runs whose window closes, with their partial match, in the harness's `timedOut`. */
  withTimeouts(): this {
    this.#timeouts = true;
    return this;
  }

  build(): CepHarness<E> {
    return new CepHarness(Nfa.create(compile(this.pattern), { timeouts: this.#timeouts }));
  }
}

/**
 * Matches as sorted strings like "a:a1 b:b1,b2", for comparing regardless of emission order
 * as FlinkCEP's tests do.
 */
export function describeMatches<E>(matches: readonly Match<E>[], label: (event: E) => string): string[] {
  return matches
    .map((m) => Object.entries(m).map(([stage, events]) => `${stage}:${events.map(label).join(',')}`).join(' '))
    .sort();
}
