import { CepError, CepErrorCode } from '../errors';
import { type Condition, type ConditionContext, type PatternDefinition } from '../pattern';
import { type Match, NO_OUTPUT, type NfaOutput } from './nfa';
import { eventOnly } from './simple-conditions';

/**
 * `begin(stage).where(c).times(n).within(W)`, with the default relaxed contiguity between the n
 * events, no skip or skip past the last event, and a simple condition.
 */
export interface TimesShape<E> {
  readonly stage: string;
  readonly condition: Condition<E>;
  readonly times: number;
  readonly windowMs: number;
  /** Skip past the last event: a match discards every other run. Otherwise runs overlap. */
  readonly skipPastLastEvent: boolean;
}

export interface TimesSnapshot<E> {
  readonly format: 'times';
  readonly stage: string;
  readonly times: number;
  /** The first event of each live run, oldest first, with its timestamp. */
  readonly events: readonly { event: E; timestamp: number }[];
}

/** The shape when the pattern has it, null otherwise. */
export function timesShapeOf<E>(definition: PatternDefinition<E>): TimesShape<E> | null {
  const { stages, withinMs, skipStrategy } = definition;
  if (stages.length !== 1 || withinMs === null) return null;
  if (skipStrategy.kind !== 'noSkip' && skipStrategy.kind !== 'skipPastLastEvent') return null;
  const [{ name, condition, simple, until, previousWithinMs, quantifier: q }] = stages as [(typeof stages)[0]];
  if (condition === null || until !== null || previousWithinMs !== null || !simple) return null;
  if (q.kind !== 'times' || q.from !== q.to || q.inner !== 'skipTillNext' || q.optional || q.greedy || q.windowMs !== null) return null;
  return { stage: name, condition, times: q.from, windowMs: withinMs, skipPastLastEvent: skipStrategy.kind === 'skipPastLastEvent' };
}

/**
 * The NFA of a times shape, reduced to what it holds: with relaxed contiguity every run takes
 * every accepted event after its first, so the runs are exactly the last accepted events (at
 * most n - 1) that are less than W old, each the first of its run. The oldest completes when
 * the n-th arrives. No buffer, versions or run objects: two exact-size arrays per key.
 */
export class TimesMatcher<E> {
  readonly #shape: TimesShape<E>;
  /** First events of the live runs, oldest first, and their timestamps; exact-size arrays. */
  #events: E[] = [];
  #timestamps: number[] = [];
  /** The earliest window end of the runs, kept so that a step closes no window without looking at any run. */
  #windowEnd = Infinity;

  constructor(shape: TimesShape<E>) {
    this.#shape = shape;
  }

  static fromSnapshot<E>(shape: TimesShape<E>, snapshot: TimesSnapshot<E>): TimesMatcher<E> {
    if (snapshot.stage !== shape.stage || snapshot.times !== shape.times || snapshot.events.length >= shape.times) {
      throw new CepError(CepErrorCode.InvalidSnapshot, `A times snapshot of '${snapshot.stage}' x${snapshot.times} does not fit this pattern`);
    }
    const matcher = new TimesMatcher(shape);
    matcher.#setRuns(
      snapshot.events.map((e) => e.event),
      snapshot.events.map((e) => e.timestamp),
    );
    return matcher;
  }

  get partialMatches(): number {
    return this.#events.length;
  }

  get nextWindowEnd(): number {
    return this.#windowEnd;
  }

  process(event: E, timestamp: number): NfaOutput<E> {
    this.#closeWindows(timestamp);
    const { condition, times, stage, skipPastLastEvent } = this.#shape;
    if (!condition(event, eventOnly as ConditionContext<E>)) return NO_OUTPUT;
    const events = this.#events.concat(event);
    const timestamps = this.#timestamps.concat(timestamp);
    if (events.length < times) {
      this.#setRuns(events, timestamps);
      return NO_OUTPUT;
    }
    // Runs hold fewer than n events, so only the oldest can complete.
    const match: Match<E> = { [stage]: events };
    if (skipPastLastEvent) this.#setRuns([], []);
    else this.#setRuns(events.slice(1), timestamps.slice(1));
    return { matches: [match], timedOut: NO_OUTPUT.timedOut };
  }

  advanceTime(watermark: number): NfaOutput<E> {
    this.#closeWindows(watermark);
    return NO_OUTPUT;
  }

  toSnapshot(): TimesSnapshot<E> {
    const { stage, times } = this.#shape;
    return { format: 'times', stage, times, events: this.#events.map((event, i) => ({ event, timestamp: this.#timestamps[i]! })) };
  }

  /** Drops the runs whose window [first event, first event + W) closed by `time`; they time out unmatched. */
  #closeWindows(time: number): void {
    if (time < this.#windowEnd) return;
    const { windowMs } = this.#shape;
    const timestamps = this.#timestamps;
    this.#setRuns(
      this.#events.filter((_, i) => time - timestamps[i]! < windowMs),
      timestamps.filter((t) => time - t < windowMs),
    );
  }

  #setRuns(events: E[], timestamps: number[]): void {
    this.#events = events;
    this.#timestamps = timestamps;
    let end = Infinity;
    for (const t of timestamps) end = Math.min(end, t + this.#shape.windowMs);
    this.#windowEnd = end;
  }
}
