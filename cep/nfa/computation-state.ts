import type { DeweyNumber } from './dewey-number';

/** Start-state runs have not begun yet; they sort after every run that has. */
export const NOT_STARTED = -1;

/**
 * One run (partial match) of the automaton: where it is, the newest buffer node of its events,
 * and its version in the shared buffer. Plain data so that it snapshots as is.
 */
export interface ComputationState {
  readonly state: number;
  readonly node: number;
  readonly version: DeweyNumber;
  readonly startTimestamp: number;
  /** Id of the run's first event, or NOT_STARTED. Ids grow with arrival order. */
  readonly startEventId: number;
}

/** Runs ordered by their first event, as FlinkCEP orders partial and completed matches. */
export function compareByStart(a: ComputationState, b: ComputationState): number {
  return startKey(a) - startKey(b);
}

function startKey(run: ComputationState): number {
  return run.startEventId === NOT_STARTED ? Number.MAX_SAFE_INTEGER : run.startEventId;
}
