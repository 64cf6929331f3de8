import type { KeyRows } from './key-rows';

/** A key's fields in the store's rows: 1 while queued, and the time its expiring state is certainly gone. */
const QUEUED = 0;
const EXPIRES_AT = 1;

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
  readonly #rows: KeyRows;
  readonly #fields: number;
  #ids: number[] = [];
  #dues: number[] = [];
  #head = 0;

  constructor(rows: KeyRows) {
    this.#rows = rows;
    this.#fields = rows.claim(2);
  }

  schedule(id: number, dueAt: number): void {
    const row = this.#row(id);
    const fields = this.#rows.values;
    fields[row + EXPIRES_AT] = dueAt;
    if (fields[row + QUEUED] === 1) return;
    fields[row + QUEUED] = 1;
    this.#ids.push(id);
    this.#dues.push(dueAt);
  }

  /** Removes and returns the ids due at or before `time`. */
  takeDue(time: number): number[] {
    const due: number[] = [];
    while (this.#head < this.#dues.length && this.#dues[this.#head]! <= time) {
      const id = this.#ids[this.#head]!;
      this.#head++;
      const row = this.#row(id);
      const expiresAt = this.#rows.values[row + EXPIRES_AT]!;
      this.#rows.values[row + QUEUED] = 0;
      if (expiresAt <= time) due.push(id);
      else this.schedule(id, expiresAt);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#dues.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#dues = this.#dues.slice(this.#head);
      this.#head = 0;
    }
    return due;
  }

  clear(): void {
    for (const id of this.#ids.slice(this.#head)) this.#rows.values[this.#row(id) + QUEUED] = 0;
    this.#ids = [];
    this.#dues = [];
    this.#head = 0;
  }

  #row(id: number): number {
    return id * this.#rows.width + this.#fields;
  }
}
