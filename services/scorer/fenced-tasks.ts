// Tasks this member lost to a newer producer with their transactional id. Normally the group moved
// the partition, and this member hears so when it rejoins: the revocation releases the entry. A task
// fenced while its partition stays assigned was not moved by the group (its transaction outlived
// the broker's transaction timeout, which fences too); after the grace period the member restarts,
// which restores it from its changelog.
export class FencedTasks {
  readonly #graceMs: number;
  readonly #onStuck: (error: Error) => void;
  readonly #timers = new Map<number, NodeJS.Timeout>();

  constructor(graceMs: number, onStuck: (error: Error) => void) {
    this.#graceMs = graceMs;
    this.#onStuck = onStuck;
  }

  add(partition: number, error: Error): void {
    if (this.#timers.has(partition)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(partition);
      this.#onStuck(error);
    }, this.#graceMs);
    this.#timers.set(partition, timer);
  }

  has(partition: number): boolean {
    return this.#timers.has(partition);
  }

  /** The group took the partition away or gave it back: it is no longer waiting to be explained. */
  release(partition: number): void {
    clearTimeout(this.#timers.get(partition));
    this.#timers.delete(partition);
  }

  clear(): void {
    for (const partition of [...this.#timers.keys()]) this.release(partition);
  }
}
