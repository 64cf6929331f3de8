import { CepError, CepErrorCode } from '../errors';
import { type Condition, type ConditionContext, type PatternDefinition } from '../pattern';
import { type Match, NO_OUTPUT, type NfaOutput } from './nfa';
import { eventOnly } from './simple-conditions';

/**
 * `begin(loop, skipPastLastEvent).where(l).timesOrMore(n).followedBy(last).where(c).within(W)`:
 * a looping stage with relaxed contiguity, then one event, simple conditions, skipping past the
 * last event.
 */
export interface LoopShape<E> {
  readonly stages: readonly [loop: string, last: string];
  readonly loopCondition: Condition<E>;
  readonly lastCondition: Condition<E>;
  readonly times: number;
  readonly windowMs: number;
}

export interface LoopSnapshot<E> {
  readonly format: 'loop';
  readonly stages: readonly string[];
  readonly times: number;
  /** Every event the loop accepted in the open window, oldest first. */
  readonly events: readonly { event: E; timestamp: number }[];
  /** The newest of `events` is the last event seen. */
  readonly newestUnfollowed: boolean;
}

/** The shape when the pattern has it, null otherwise. */
export function loopShapeOf<E>(definition: PatternDefinition<E>): LoopShape<E> | null {
  const { stages, withinMs, skipStrategy } = definition;
  if (stages.length !== 2 || withinMs === null || skipStrategy.kind !== 'skipPastLastEvent') return null;
  const [loop, last] = stages as [(typeof stages)[0], (typeof stages)[0]];
  for (const { condition, simple, until, previousWithinMs } of stages) if (condition === null || until !== null || previousWithinMs !== null || !simple) return null;
  const l = loop.quantifier;
  if (l.kind !== 'looping' || l.inner !== 'skipTillNext' || l.optional || l.greedy || l.windowMs !== null) return null;
  const q = last.quantifier;
  if (q.kind !== 'single' || q.consuming !== 'skipTillNext' || q.optional) return null;
  return { stages: [loop.name, last.name], loopCondition: loop.condition!, lastCondition: last.condition!, times: l.from, windowMs: withinMs };
}

/**
 * The NFA of a loop shape, reduced to what it holds. Every accepted loop event starts a run, and
 * with relaxed contiguity every run takes every later one, so the runs are the accepted events
 * less than W old, each the first of its run. A run with n or more events that sees an event
 * which does not pass the last stage branches: one branch waits for the last event with the loop
 * events it has, the other goes on taking loop events. An event that passes the last stage
 * therefore completes the oldest run, with every loop event in the window, as soon as there are
 * n of them; skipping past it discards every run, so no match is ever held back. The waiting
 * branches matter only for the count of partial matches: the j-th event (0-based), once another
 * event followed it, left one in each of the j - n + 2 oldest runs.
 */
export class LoopMatcher<E> {
  readonly #shape: LoopShape<E>;
  /** Exact-size arrays, oldest first. */
  #events: E[] = [];
  #timestamps: number[] = [];
  /** No event came after the newest loop event yet, so no run has branched on it. */
  #newestUnfollowed = false;

  constructor(shape: LoopShape<E>) {
    this.#shape = shape;
  }

  static fromSnapshot<E>(shape: LoopShape<E>, snapshot: LoopSnapshot<E>): LoopMatcher<E> {
    if (snapshot.stages.join('\u0000') !== shape.stages.join('\u0000') || snapshot.times !== shape.times) {
      throw new CepError(CepErrorCode.InvalidSnapshot, `A loop snapshot of ${snapshot.stages.join(', ')} x${snapshot.times}+ does not fit this pattern`);
    }
    const matcher = new LoopMatcher(shape);
    matcher.#setRuns(
      snapshot.events.map((e) => e.event),
      snapshot.events.map((e) => e.timestamp),
    );
    matcher.#newestUnfollowed = snapshot.newestUnfollowed && snapshot.events.length > 0;
    return matcher;
  }

  get partialMatches(): number {
    const runs = this.#events.length;
    // Runs 1, 2, ... m wait after the n-th, (n+1)-th, ... followed events: m(m+1)/2 branches.
    const m = Math.max(0, runs - this.#shape.times + (this.#newestUnfollowed ? 0 : 1));
    return runs + (m * (m + 1)) / 2;
  }

  get nextWindowEnd(): number {
    return this.#timestamps.length === 0 ? Infinity : this.#timestamps[0]! + this.#shape.windowMs;
  }

  process(event: E, timestamp: number): NfaOutput<E> {
    this.#closeWindows(timestamp);
    const { loopCondition, lastCondition, times, stages } = this.#shape;
    const ctx = eventOnly as ConditionContext<E>;
    this.#newestUnfollowed = false;
    if (this.#events.length >= times && lastCondition(event, ctx)) {
      const match: Match<E> = { [stages[0]]: this.#events, [stages[1]]: [event] };
      this.#setRuns([], []);
      return { matches: [match], timedOut: NO_OUTPUT.timedOut };
    }
    if (loopCondition(event, ctx)) {
      this.#setRuns(this.#events.concat(event), this.#timestamps.concat(timestamp));
      this.#newestUnfollowed = true;
    }
    return NO_OUTPUT;
  }

  advanceTime(watermark: number): NfaOutput<E> {
    this.#closeWindows(watermark);
    return NO_OUTPUT;
  }

  toSnapshot(): LoopSnapshot<E> {
    const { stages, times } = this.#shape;
    const events = this.#events.map((event, i) => ({ event, timestamp: this.#timestamps[i]! }));
    return { format: 'loop', stages, times, events, newestUnfollowed: this.#newestUnfollowed };
  }

  /** Ends the runs whose window [first event, first event + W) closed by `time`: events come in time order, so the oldest. */
  #closeWindows(time: number): void {
    const timestamps = this.#timestamps;
    let open = 0;
    while (open < timestamps.length && time - timestamps[open]! >= this.#shape.windowMs) open++;
    if (open === 0) return;
    this.#setRuns(this.#events.slice(open), timestamps.slice(open));
  }

  #setRuns(events: E[], timestamps: number[]): void {
    this.#events = events;
    this.#timestamps = timestamps;
    if (events.length === 0) this.#newestUnfollowed = false;
  }
}
