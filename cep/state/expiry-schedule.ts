import { grownTo } from './block-allocator';

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
  /** Per key id: when its expiring state is certainly gone; NaN while not queued. */
  #expiresAt = new Float64Array(0);
  #ids: number[] = [];
  #dues: number[] = [];
  #head = 0;

  schedule(id: number, dueAt: number): void {
    if (id >= this.#expiresAt.length) {
      const known = this.#expiresAt.length;
      this.#expiresAt = grownTo(this.#expiresAt, Math.max(1_024, id + 1, known * 2));
      this.#expiresAt.fill(Number.NaN, known);
    }
    const queued = !Number.isNaN(this.#expiresAt[id]!);
    this.#expiresAt[id] = dueAt;
    if (queued) return;
    this.#ids.push(id);
    this.#dues.push(dueAt);
  }

  /** Removes and returns the ids due at or before `time`. */
  takeDue(time: number): number[] {
    const due: number[] = [];
    while (this.#head < this.#dues.length && this.#dues[this.#head]! <= time) {
      const id = this.#ids[this.#head]!;
      this.#head++;
      const expiresAt = this.#expiresAt[id]!;
      this.#expiresAt[id] = Number.NaN;
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
    this.#expiresAt.fill(Number.NaN);
    this.#ids = [];
    this.#dues = [];
    this.#head = 0;
  }
}
