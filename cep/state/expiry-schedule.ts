/**
 * Keys in order of their last activity, each with the decision time from which its expiring
 * state (velocity buffers, sessions) is certainly gone. Decision time never decreases along a
 * task's processing sequence, so the order of last activity is also the order of due times and
 * a sweep stops at the first key not yet due: O(1) per event, no per-key timers.
 */
export class ExpirySchedule {
  readonly #due = new Map<string, number>();

  /** (Re)schedules the key; moving it to the end keeps the map ordered by due time. */
  schedule(key: string, dueAt: number): void {
    this.#due.delete(key);
    this.#due.set(key, dueAt);
  }

  /** Removes and returns the keys due at or before `time`, in schedule order. */
  takeDue(time: number): string[] {
    const due: string[] = [];
    for (const [key, dueAt] of this.#due) {
      if (dueAt > time) break;
      this.#due.delete(key);
      due.push(key);
    }
    return due;
  }

  clear(): void {
    this.#due.clear();
  }
}
