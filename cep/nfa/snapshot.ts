import { CepError, CepErrorCode } from '../errors';
import type { Automaton } from '../compiler';
import type { ComputationState } from './computation-state';
import { NO_NODE, type BufferNode, type SharedBufferSnapshot } from './shared-buffer';

/** A run with its automaton state named, so a snapshot survives recompiling the same pattern. */
export interface RunSnapshot {
  readonly state: string;
  readonly node: number;
  readonly version: readonly number[];
  readonly startTimestamp: number;
  /** Kept only for a pattern with windows since the previous event, the only reader; else the start time stands for it. */
  readonly previousTimestamp?: number;
  readonly startEventId: number;
}

/**
 * The whole per-key NFA state as plain JSON-able data (given JSON-able events). Runs refer to
 * events by id; each event is stored once, in the buffer part.
 */
export interface NfaSnapshot<E> {
  readonly format: 1;
  readonly partialMatches: readonly RunSnapshot[];
  /** Completed matches an after-match skip strategy holds back until earlier runs finish. */
  readonly completedMatches: readonly RunSnapshot[];
  readonly buffer: SharedBufferSnapshot<E>;
}

export function runToSnapshot<E>(automaton: Automaton<E>, run: ComputationState<E>): RunSnapshot {
  return {
    state: automaton.states[run.state]!.name,
    node: run.node?.id ?? NO_NODE,
    version: [...run.version],
    startTimestamp: run.startTimestamp,
    ...(automaton.stateWindows ? { previousTimestamp: run.previousTimestamp } : {}),
    startEventId: run.startEventId,
  };
}

export function runFromSnapshot<E>(automaton: Automaton<E>, nodes: ReadonlyMap<number, BufferNode<E>>, run: RunSnapshot): ComputationState<E> {
  const state = automaton.stateByName.get(run.state);
  if (state === undefined) {
    throw new CepError(CepErrorCode.InvalidSnapshot, `Snapshot refers to state '${run.state}', unknown to this pattern`, {
      context: { state: run.state },
    });
  }
  const node = run.node === NO_NODE ? null : nodes.get(run.node);
  if (node === undefined) {
    throw new CepError(CepErrorCode.InvalidSnapshot, `Snapshot refers to buffer node ${run.node}, which it does not hold`, {
      context: { node: run.node },
    });
  }
  return {
    state: state.id,
    node,
    version: [...run.version],
    startTimestamp: run.startTimestamp,
    previousTimestamp: run.previousTimestamp ?? run.startTimestamp,
    startEventId: run.startEventId,
  };
}

export function checkSnapshotFormat(snapshot: { readonly format?: unknown }): void {
  if (snapshot.format !== 1) {
    throw new CepError(CepErrorCode.InvalidSnapshot, `Unsupported NFA snapshot format ${String(snapshot.format)}`);
  }
}
