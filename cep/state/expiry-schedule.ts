import type { KeyRows, RowFields } from './key-rows';

/**
 * Key ids in order of scheduling, each with the decision time from which its expiring state
 * (velocity events, sessions) is certainly gone. Decision time never decreases along a task's
 * processing sequence, so due times mostly grow along the queue and a sweep stops at the first
 * entry not yet due. A key is queued once: rescheduling only moves its `expiresAt`, and a sweep
 * that meets a key rescheduled since it was queued queues it again. O(1) per event, no hashing.
 *
 * An entry outlives the deletion of its key, and a new key that reuses the id inherits it
 * (rescheduling moves its time): the owner skips ids that are free when they come due.
 */
export class ExpirySchedule {
  /** Per key: 1 while queued. */
  readonly #queued: RowFields<Int32Array>;
  readonly #queuedAt: number;
  /** Per key: when its expiring state is certainly gone. */
  readonly #expiresAt: RowFields<Float64Array>;
  readonly #expiresAtAt: number;
  #ids: number[] = [];
  #dues: number[] = [];
  #head = 0;

  constructor(rows: KeyRows) {
    this.#queued = rows.ints;
    this.#queuedAt = rows.ints.claim(1);
    this.#expiresAt = rows.floats;
    this.#expiresAtAt = rows.floats.claim(1);
  }

  schedule(id: number, dueAt: number): void {
    this.#expiresAt.values[id * this.#expiresAt.width + this.#expiresAtAt] = dueAt;
    const queued = id * this.#queued.width + this.#queuedAt;
    if (this.#queued.values[queued] === 1) return;
    this.#queued.values[queued] = 1;
    this.#ids.push(id);
    this.#dues.push(dueAt);
  }

  /**
   * Removes and returns the next id due at or before `time`, or -1 when none is. One id per call
   * rather than an array of them, as the pending records are released: a loop over a fresh
   * array made the task's release loop deoptimize on every batch.
   */
  nextDue(time: number): number {
    while (this.#head < this.#dues.length && this.#dues[this.#head]! <= time) {
      const id = this.#ids[this.#head]!;
      this.#head++;
      const expiresAt = this.#expiresAt.values[id * this.#expiresAt.width + this.#expiresAtAt]!;
      this.#queued.values[id * this.#queued.width + this.#queuedAt] = 0;
      if (expiresAt <= time) return id;
      this.schedule(id, expiresAt);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#dues.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#dues = this.#dues.slice(this.#head);
      this.#head = 0;
    }
    return -1;
  }

  clear(): void {
    for (const id of this.#ids.slice(this.#head)) this.#queued.values[id * this.#queued.width + this.#queuedAt] = 0;
    this.#ids = [];
    this.#dues = [];
    this.#head = 0;
  }
}
