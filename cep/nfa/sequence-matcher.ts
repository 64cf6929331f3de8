import { CepError, CepErrorCode } from '../errors';
import { type Condition, type ConditionContext, type PatternDefinition } from '../pattern';
import { type Match, NO_OUTPUT, type NfaOutput } from './nfa';
import { eventOnly } from './simple-conditions';

/**
 * `begin(s0).where(c0).followedBy(s1).where(c1)...within(W)`: two or more stages of one event
 * each, or of `times(n)` events with relaxed contiguity, every one after the first followedBy or
 * followedByAny, simple conditions, and no skip or skip past the last event. A times stage
 * compiles to n states, each taking one event and ignoring what it cannot take, exactly as n
 * single stages with its condition would; so the shape has one slot per event of a match.
 */
export interface SequenceShape<E> {
  /** Per slot: the stage its event belongs to. */
  readonly stages: readonly string[];
  readonly conditions: readonly Condition<E>[];
  /** Per slot: followedByAny (or allowCombinations), where a run both takes a matching event and goes on waiting. */
  readonly anyMatch: readonly boolean[];
  readonly windowMs: number;
  readonly skipPastLastEvent: boolean;
}

/** A run: the events it accepted, one per slot so far, and its first event's time. */
interface SequenceRun<E> {
  readonly events: readonly E[];
  readonly startTimestamp: number;
}

export interface SequenceSnapshot<E> {
  readonly format: 'sequence';
  readonly stages: readonly string[];
  readonly runs: readonly SequenceRun<E>[];
}

/** The shape when the pattern has it, null otherwise. */
export function sequenceShapeOf<E>(definition: PatternDefinition<E>): SequenceShape<E> | null {
  const { stages, withinMs, skipStrategy } = definition;
  if (stages.length < 2 || withinMs === null) return null;
  if (skipStrategy.kind !== 'noSkip' && skipStrategy.kind !== 'skipPastLastEvent') return null;
  const slots: string[] = [];
  const conditions: Condition<E>[] = [];
  const anyMatch: boolean[] = [];
  for (const [i, { name, condition, simple, until, previousWithinMs, quantifier: q }] of stages.entries()) {
    if (condition === null || until !== null || previousWithinMs !== null || !simple) return null;
    const events = q.kind === 'single' ? 1 : q.kind === 'times' && q.from === q.to && !q.greedy ? q.from : 0;
    if (events === 0 || q.optional || q.windowMs !== null) return null;
    if (i > 0 && !isRelaxed(q.consuming)) return null;
    if (events > 1 && !isRelaxed(q.inner)) return null;
    for (let k = 0; k < events; k++) {
      slots.push(name);
      conditions.push(condition);
      anyMatch.push((k === 0 ? q.consuming : q.inner) === 'skipTillAny');
    }
  }
  // A step marks the slots the event can enter as bits of one integer.
  if (slots.length > 31) return null;
  return { stages: slots, conditions, anyMatch, windowMs: withinMs, skipPastLastEvent: skipStrategy.kind === 'skipPastLastEvent' };
}

const isRelaxed = (consuming: string): boolean => consuming === 'skipTillNext' || consuming === 'skipTillAny';

const NO_RUNS: readonly never[] = Object.freeze([]);

/**
 * Scratch for the runs a step keeps, copied out at exact size: an array grown by push reserves
 * room for 17 runs, in every key's matcher. Matchers step one at a time and conditions run before
 * it is filled, so one array serves them all.
 */
const nextRuns: SequenceRun<unknown>[] = [];

/**
 * The NFA of a sequence shape, with each run as the array of its events: no shared buffer, no
 * Dewey versions. Runs stay in the NFA's order (by first event; a followedByAny run's taking
 * branch just before its waiting one), so matches come out in the NFA's order. Skipping past the
 * last event, the NFA never holds a match back here: a run that started earlier has taken every
 * event a later one took at the same stage, so it completes no later; the earliest completed run
 * is the match, and it discards every run, all of them having started by its last event.
 */
export class SequenceMatcher<E> {
  readonly #shape: SequenceShape<E>;
  #runs: readonly SequenceRun<E>[] = NO_RUNS;
  /** The earliest window end of the runs, kept so that a step closes no window without looking at any run. */
  #windowEnd = Infinity;

  constructor(shape: SequenceShape<E>) {
    this.#shape = shape;
  }

  static fromSnapshot<E>(shape: SequenceShape<E>, snapshot: SequenceSnapshot<E>): SequenceMatcher<E> {
    const fits = (run: SequenceRun<E>): boolean => run.events.length > 0 && run.events.length < shape.stages.length;
    if (snapshot.stages.join('\u0000') !== shape.stages.join('\u0000') || !snapshot.runs.every(fits)) {
      throw new CepError(CepErrorCode.InvalidSnapshot, `A sequence snapshot of ${snapshot.stages.join(', ')} does not fit this pattern`);
    }
    const matcher = new SequenceMatcher(shape);
    matcher.#setRuns(snapshot.runs);
    return matcher;
  }

  get partialMatches(): number {
    return this.#runs.length;
  }

  get nextWindowEnd(): number {
    return this.#windowEnd;
  }

  process(event: E, timestamp: number): NfaOutput<E> {
    this.#closeWindows(timestamp);
    const { conditions, anyMatch, skipPastLastEvent } = this.#shape;
    const last = conditions.length - 1;
    const ctx = eventOnly as ConditionContext<E>;
    // Simple conditions: judged once per stage, not once per run.
    let takes = 0;
    for (let stage = 0; stage <= last; stage++) if (conditions[stage]!(event, ctx)) takes |= 1 << stage;
    if (takes === 0) return NO_OUTPUT;
    const next = nextRuns as SequenceRun<E>[];
    let matches: Match<E>[] | null = null;
    const runs = this.#runs;
    // Indexed, as every loop over the runs: for-of over a frozen array (NO_RUNS) allocates an iterator result per step.
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const stage = run.events.length;
      if ((takes & (1 << stage)) === 0) {
        next.push(run);
        continue;
      }
      const events = run.events.concat(event);
      if (stage === last) (matches ??= []).push(this.#match(events));
      else next.push({ events, startTimestamp: run.startTimestamp });
      if (anyMatch[stage]) next.push(run);
    }
    if ((takes & 1) !== 0) next.push({ events: [event], startTimestamp: timestamp });
    const skipped = matches !== null && skipPastLastEvent;
    this.#setRuns(skipped || next.length === 0 ? NO_RUNS : next.slice());
    next.length = 0;
    if (skipped) return { matches: [matches![0]!], timedOut: NO_OUTPUT.timedOut };
    return matches === null ? NO_OUTPUT : { matches, timedOut: NO_OUTPUT.timedOut };
  }

  advanceTime(watermark: number): NfaOutput<E> {
    this.#closeWindows(watermark);
    return NO_OUTPUT;
  }

  toSnapshot(): SequenceSnapshot<E> {
    return { format: 'sequence', stages: this.#shape.stages, runs: this.#runs };
  }

  /** Ends the runs whose window closed by `time`: they time out unmatched. */
  #closeWindows(time: number): void {
    if (time < this.#windowEnd) return;
    const { windowMs } = this.#shape;
    const open = this.#runs.filter((run) => time - run.startTimestamp < windowMs);
    this.#setRuns(open.length === 0 ? NO_RUNS : open);
  }

  #setRuns(runs: readonly SequenceRun<E>[]): void {
    this.#runs = runs;
    let end = Infinity;
    for (let i = 0; i < runs.length; i++) end = Math.min(end, runs[i]!.startTimestamp + this.#shape.windowMs);
    this.#windowEnd = end;
  }

  #match(events: readonly E[]): Match<E> {
    const match: Match<E> = {};
    const { stages } = this.#shape;
    for (let i = 0; i < stages.length; i++) (match[stages[i]!] ??= []).push(events[i]!);
    return match;
  }
}
