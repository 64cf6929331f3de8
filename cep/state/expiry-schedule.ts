import type { KeyState } from './keyed-state';

/**
 * Keys in order of scheduling, each with the decision time from which its expiring state
 * (velocity buffers, sessions) is certainly gone. Decision time never decreases along a task's
 * processing sequence, so due times mostly grow along the queue and a sweep stops at the first
 * entry not yet due. A key is queued once: rescheduling only moves its `expiresAt`, and a sweep
 * that meets a key rescheduled since it was queued queues it again. O(1) per event, no hashing.
 */
export class ExpirySchedule {
  #states: KeyState[] = [];
  #dues: number[] = [];
  #head = 0;
  schedule(state: KeyState, dueAt: number): void {
    const queued = !Number.isNaN(state.expiresAt);
    state.expiresAt = dueAt;
    if (queued) return;
    this.#states.push(state);
    this.#dues.push(dueAt);
  }

  /** Removes and returns the states due at or before `time`. */
  takeDue(time: number): KeyState[] {
    const due: KeyState[] = [];
    while (this.#head < this.#dues.length && this.#dues[this.#head]! <= time) {
      const state = this.#states[this.#head]!;
      this.#head++;
      const expiresAt = state.expiresAt;
      state.expiresAt = Number.NaN;
      if (expiresAt <= time) due.push(state);
      else this.schedule(state, expiresAt);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#dues.length) {
      this.#states = this.#states.slice(this.#head);
      this.#dues = this.#dues.slice(this.#head);
      this.#head = 0;
    }
    return due;
  }

  clear(): void {
    for (const state of this.#states.slice(this.#head)) state.expiresAt = Number.NaN;
    this.#states = [];
    this.#dues = [];
    this.#head = 0;
  }
}
