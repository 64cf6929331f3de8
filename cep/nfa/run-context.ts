import type { ConditionContext } from '../pattern';
import type { ComputationState } from './computation-state';
import type { SharedBuffer } from './shared-buffer';

const NO_EVENTS: readonly never[] = Object.freeze([]);

/**
 * The context handed to conditions. One instance is reused for every run, event and key; the
 * partial match is read from the shared buffer only if a condition asks for it, because
 * walking the buffer costs far more than a simple condition.
 */
export class RunContext<E> implements ConditionContext<E> {
  timestamp = 0;
  #buffer: SharedBuffer<E> | null = null;
  #run: ComputationState<E> | null = null;
  #events: Record<string, E[]> | null = null;

  reset(buffer: SharedBuffer<E>, run: ComputationState<E>, timestamp: number): void {
    this.#buffer = buffer;
    this.#run = run;
    this.timestamp = timestamp;
    this.#events = null;
  }

  eventsFor(stage: string): readonly E[] {
    this.#events ??= currentMatch(this.#buffer!, this.#run!);
    return this.#events[stage] ?? NO_EVENTS;
  }
}

/** The events a run has accepted so far; a run has exactly one path through the buffer. */
export function currentMatch<E>(buffer: SharedBuffer<E>, run: ComputationState<E>): Record<string, E[]> {
  if (run.node === null) return {};
  const path = buffer.extractPatterns(run.node, run.version)[0];
  return path === undefined ? {} : buffer.materialize(path);
}
