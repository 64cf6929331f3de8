import type { DeweyNumber } from './dewey-number';
import type { BufferNode } from './shared-buffer';

/** Start-state runs have not begun yet; they sort after every run that has. */
export const NOT_STARTED = -1;

/**
 * One run (partial match) of the automaton: where it is, the newest buffer node of its events,
 * and its version in the shared buffer.
 */
export interface ComputationState<E> {
  readonly state: number;
  /** Null until the run accepts an event. */
  readonly node: BufferNode<E> | null;
  readonly version: DeweyNumber;
  readonly startTimestamp: number;
  /** Time of the run's newest event (0 before its first): what a window since the previous event counts from. */
  readonly previousTimestamp: number;
  /** Id of the run's first event, or NOT_STARTED. Ids grow with arrival order. */
  readonly startEventId: number;
}

/** Runs ordered by their first event, as FlinkCEP orders partial and completed matches. */
export function compareByStart<E>(a: ComputationState<E>, b: ComputationState<E>): number {
  return startKey(a) - startKey(b);
}

function startKey<E>(run: ComputationState<E>): number {
  return run.startEventId === NOT_STARTED ? Number.MAX_SAFE_INTEGER : run.startEventId;
}
