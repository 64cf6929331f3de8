import type { Automaton } from '../compiler';
import { skipPrunerFor, type SkipPruner } from './after-match-skip';
import { NOT_STARTED, compareByStart, type ComputationState } from './computation-state';
import { INITIAL_VERSION } from './dewey-number';
import { NextStates, type CurrentEvent } from './next-states';
import { currentMatch } from './run-context';
import { SharedBuffer } from './shared-buffer';
import { checkSnapshotFormat, runFromSnapshot, runToSnapshot, type NfaSnapshot } from './snapshot';

/** Stage name → accepted events, oldest first; keys in the order the stages were entered. */
export type Match<E> = Record<string, E[]>;

/**
 * A run whose window closed before the pattern completed, with the events it had accepted. Reported
 * only when timeouts are enabled ({@link NfaOptions.timeouts}, `CepHarnessBuilder.withTimeouts()`).
 */
export interface TimedOutMatch<E> {
  /** The partial match: the stages entered so far and their events. */
  readonly match: Match<E>;
  /**
   * Event time at which the run's window closed: its first event's time plus `within`, or, when
   * its window since the previous event closed, its newest event's time plus that window.
   */
  readonly timeoutTimestamp: number;
}

export interface NfaOutput<E> {
  readonly matches: readonly Match<E>[];
  readonly timedOut: readonly TimedOutMatch<E>[];
}

export interface NfaOptions {
  /** Report runs that time out with their partial match (FlinkCEP's timeout handling). */
  readonly timeouts?: boolean;
}

export interface NfaMetrics {
  /** Runs that have accepted at least one event, plus completed matches held back. */
  readonly partialMatches: number;
  readonly bufferedEvents: number;
  readonly bufferNodes: number;
}

/** The output of a step that matched nothing, shared by every matcher. */
export const NO_OUTPUT: NfaOutput<never> = Object.freeze({ matches: Object.freeze([]), timedOut: Object.freeze([]) });

/**
 * What every key's NFA of one automaton shares: the stepper, the skip strategy and scratch
 * space. Keeping these out of the NFA leaves a key only its runs and buffer to pay for; NFAs
 * step one at a time, so sharing the scratch is safe.
 */
class NfaProgram<E> {
  readonly nextStates: NextStates<E>;
  readonly pruner: SkipPruner | null;
  readonly successors: ComputationState<E>[] = [];
  readonly next: ComputationState<E>[] = [];
  readonly completed: ComputationState<E>[] = [];
  readonly current: CurrentEvent<E> = { event: undefined as E, timestamp: 0, buffered: null };

  constructor(
    readonly automaton: Automaton<E>,
    readonly reportTimeouts: boolean,
  ) {
    this.nextStates = new NextStates(automaton);
    this.pruner = skipPrunerFor(automaton.skipStrategy);
  }
}

/** Programs by automaton, one for each timeout option. */
const programs = new WeakMap<object, [object | undefined, object | undefined]>();

function programFor<E>(automaton: Automaton<E>, options: NfaOptions): NfaProgram<E> {
  const reportTimeouts = options.timeouts ?? false;
  let pair = programs.get(automaton);
  if (pair === undefined) programs.set(automaton, (pair = [undefined, undefined]));
  const slot = reportTimeouts ? 1 : 0;
  return (pair[slot] ??= new NfaProgram(automaton, reportTimeouts)) as NfaProgram<E>;
}

const NO_RUNS: ComputationState<never>[] = [];

/**
 * When a started run's first window closes: the window since its previous event (`stateWindowMs`,
 * 0 for none) or the whole pattern's (`windowMs`, 0 for none).
 */
function windowEnd<E>(run: ComputationState<E>, windowMs: number, stateWindowMs: number): number {
  const sincePrevious = stateWindowMs > 0 ? run.previousTimestamp + stateWindowMs : Infinity;
  const sinceFirst = windowMs > 0 ? run.startTimestamp + windowMs : Infinity;
  return Math.min(sincePrevious, sinceFirst);
}

/**
 * The pattern-matching state of one key. Time only moves through its two calls: events must
 * come in event-time order, and a watermark must not pass events still to be processed.
 *
 * - `process(event, ts)` first does `advanceTime(ts)`, as FlinkCEP's operator does, so a run
 *   whose window closed at or before `ts` cannot take the event; then it moves every run.
 * - `advanceTime(wm)` ends the runs whose window [first event, first event + within) closed,
 *   completing those that only waited for an absence (trailing notFollowedBy).
 */
export class Nfa<E> {
  readonly #program: NfaProgram<E>;
  readonly #buffer: SharedBuffer<E>;
  /** Sorted by first event; the start-state run, which never ends, is always last. */
  #runs: ComputationState<E>[];
  /** Only skip strategies hold matches back, until no earlier-started run is left; NO_RUNS while none is. */
  #completed: ComputationState<E>[];
  #matches: Match<E>[] | null = null;
  #timedOut: TimedOutMatch<E>[] | null = null;

  private constructor(program: NfaProgram<E>, buffer: SharedBuffer<E>, runs: ComputationState<E>[], completed: ComputationState<E>[]) {
    this.#program = program;
    this.#buffer = buffer;
    this.#runs = runs;
    this.#completed = completed.length === 0 ? NO_RUNS : completed;
  }

  static create<E>(automaton: Automaton<E>, options: NfaOptions = {}): Nfa<E> {
    const start: ComputationState<E> = {
      state: automaton.start.id,
      node: null,
      version: INITIAL_VERSION,
      startTimestamp: 0,
      previousTimestamp: 0,
      startEventId: NOT_STARTED,
    };
    return new Nfa(programFor(automaton, options), new SharedBuffer<E>(), [start], NO_RUNS);
  }

  static fromSnapshot<E>(automaton: Automaton<E>, snapshot: NfaSnapshot<E>, options: NfaOptions = {}): Nfa<E> {
    checkSnapshotFormat(snapshot);
    const { buffer, nodes } = SharedBuffer.fromSnapshot(snapshot.buffer);
    const runs = snapshot.partialMatches.map((r) => runFromSnapshot(automaton, nodes, r));
    const completed = snapshot.completedMatches.map((r) => runFromSnapshot(automaton, nodes, r));
    return new Nfa(programFor(automaton, options), buffer, runs, completed);
  }

  process(event: E, timestamp: number): NfaOutput<E> {
    this.#closeWindows(timestamp);
    const program = this.#program;
    const current = program.current;
    current.event = event;
    current.timestamp = timestamp;
    current.buffered = null;
    const states = program.automaton.states;
    const next = program.next;
    const completed = program.completed;
    const successors = program.successors;
    next.length = 0;
    completed.length = 0;
    for (const run of this.#runs) {
      successors.length = 0;
      program.nextStates.advance(this.#buffer, run, current, successors);
      let stopped = false;
      const firstKept = next.length;
      for (const s of successors) {
        const kind = states[s.state]!.kind;
        if (kind === 'final') completed.push(s);
        else if (kind === 'stop') {
          stopped = true;
          this.#release(s);
        } else next.push(s);
      }
      // A NOT stage matched: the whole branch dies, though matches it completed still count.
      if (stopped) {
        for (let i = firstKept; i < next.length; i++) this.#release(next[i]!);
        next.length = firstKept;
      }
    }
    const runs = this.#runs;
    // Growing an array in place would reserve room for 16 more runs, in every key's NFA; an exact copy does not.
    if (next.length > runs.length) this.#runs = next.slice();
    else {
      runs.length = next.length;
      for (let i = 0; i < next.length; i++) runs[i] = next[i]!;
    }
    successors.length = 0;
    next.length = 0;
    this.#emit(completed);
    completed.length = 0;
    current.event = undefined as E;
    if (current.buffered !== null) this.#buffer.releaseEvent(current.buffered);
    current.buffered = null;
    return this.#drainOutput();
  }

  advanceTime(watermark: number): NfaOutput<E> {
    this.#closeWindows(watermark);
    return this.#drainOutput();
  }

  get metrics(): NfaMetrics {
    return {
      partialMatches: this.partialMatches,
      bufferedEvents: this.#buffer.eventCount,
      bufferNodes: this.#buffer.nodeCount,
    };
  }

  /**
   * When the earliest-started run's window closes, Infinity without a started run (or a window):
   * advancing time to any earlier moment changes nothing, so a caller's timer need not fire before.
   */
  get nextWindowEnd(): number {
    const { windowMs, stateWindows, states } = this.#program.automaton;
    let end = Infinity;
    if (windowMs <= 0 && !stateWindows) return end;
    for (const run of this.#runs) if (run.startEventId !== NOT_STARTED) end = Math.min(end, windowEnd(run, windowMs, states[run.state]!.windowMs));
    return end;
  }

  /** `metrics.partialMatches` without the other counts, for callers that read it on every step. */
  get partialMatches(): number {
    let started = 0;
    for (const run of this.#runs) if (run.startEventId !== NOT_STARTED) started++;
    return started + this.#completed.length;
  }

  toSnapshot(): NfaSnapshot<E> {
    const automaton = this.#program.automaton;
    return {
      format: 1,
      partialMatches: this.#runs.map((r) => runToSnapshot(automaton, r)),
      completedMatches: this.#completed.map((r) => runToSnapshot(automaton, r)),
      buffer: this.#buffer.toSnapshot([...this.#runs, ...this.#completed].map((run) => run.node)),
    };
  }

  #closeWindows(time: number): void {
    const { windowMs, stateWindows, states } = this.#program.automaton;
    if (windowMs <= 0 && !stateWindows) return;
    let completed: ComputationState<E>[] | null = null;
    let kept = 0;
    for (const run of this.#runs) {
      const state = states[run.state]!;
      const end = run.startEventId === NOT_STARTED ? Infinity : windowEnd(run, windowMs, state.windowMs);
      if (time < end) {
        this.#runs[kept++] = run;
      } else if (state.kind === 'pending') {
        (completed ??= []).push(run);
      } else {
        if (this.#program.reportTimeouts) {
          const match = currentMatch(this.#buffer, run);
          // As FlinkCEP reports it: the window since the previous event when that one closed too.
          const sincePrevious = run.previousTimestamp + state.windowMs;
          (this.#timedOut ??= []).push({ match, timeoutTimestamp: state.windowMs > 0 && time >= sincePrevious ? sincePrevious : end });
        }
        this.#release(run);
      }
    }
    const changed = kept < this.#runs.length;
    this.#runs.length = kept;
    // Ended runs may free matches a skip strategy was holding back.
    if (completed !== null || (changed && this.#completed.length > 0)) this.#emit(completed ?? []);
  }

  #emit(completed: ComputationState<E>[]): void {
    if (completed.length === 0 && this.#completed.length === 0) return;
    const pruner = this.#program.pruner;
    if (pruner === null) {
      for (const run of completed) this.#emitMatch(run);
      return;
    }
    // A copy: `completed` may be the program's scratch, and what stays held is kept.
    const held = [...this.#completed, ...completed];
    if (this.#completed.length > 0) held.sort(compareByStart);
    while (held.length > 0) {
      const earliest = held[0]!;
      const earliestRun = this.#runs[0];
      if (earliestRun !== undefined && compareByStart(earliest, earliestRun) > 0) break;
      held.shift();
      const events = this.#buffer.extractPatterns(earliest.node!, earliest.version)[0]!;
      const pruningId = pruner.pruningId(events);
      if (pruningId !== null) {
        this.#prune(this.#runs, pruner, pruningId);
        this.#prune(held, pruner, pruningId);
      }
      (this.#matches ??= []).push(this.#buffer.materialize(events));
      this.#release(earliest);
    }
    this.#completed = held.length === 0 ? NO_RUNS : held;
  }

  #prune(runs: ComputationState<E>[], pruner: SkipPruner, pruningId: number): void {
    let kept = 0;
    for (const run of runs) {
      if (run.startEventId !== NOT_STARTED && pruner.shouldPrune(run.startEventId, pruningId)) this.#release(run);
      else runs[kept++] = run;
    }
    runs.length = kept;
  }

  #emitMatch(run: ComputationState<E>): void {
    (this.#matches ??= []).push(currentMatch(this.#buffer, run));
    this.#release(run);
  }

  #release(run: ComputationState<E>): void {
    if (run.node !== null) this.#buffer.releaseNode(run.node, run.version);
  }

  /** Output arrays are handed over, not copied; nothing is allocated when there is no output. */
  #drainOutput(): NfaOutput<E> {
    if (this.#matches === null && this.#timedOut === null) return NO_OUTPUT;
    const output = { matches: this.#matches ?? NO_OUTPUT.matches, timedOut: this.#timedOut ?? NO_OUTPUT.timedOut };
    this.#matches = null;
    this.#timedOut = null;
    return output;
  }
}
