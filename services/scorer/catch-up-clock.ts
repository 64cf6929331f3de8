/**
 * The processing time a task sees. Idleness is judged by processing time (a partition without data
 * for the idle timeout stops holding the watermark back), but while the scorer works through a
 * backlog a partition can wait its turn for longer than that with records already in the log:
 * taking it for idle would let the watermark run ahead and make its records late. So this clock
 * only advances with the wall clock while every input partition of the task is caught up, and
 * stands still while any of them has records the task has not consumed yet.
 */
export class CatchUpClock {
  readonly #wall: () => number;
  /** Lagging input → wall time of its last batch (or of the assignment). */
  readonly #lagging = new Map<string, number>();
  #time: number;
  #lastWall: number;

  constructor(wall: () => number, lagging: Iterable<string> = []) {
    this.#wall = wall;
    this.#lastWall = wall();
    this.#time = this.#lastWall;
    for (const input of lagging) this.#lagging.set(input, this.#lastWall);
  }

  now(): number {
    const wall = this.#wall();
    if (this.#lagging.size === 0) this.#time += Math.max(0, wall - this.#lastWall);
    this.#lastWall = wall;
    return this.#time;
  }

  /** After a batch of `input`: whether the log held more records than the batch reached. */
  observe(input: string, caughtUp: boolean): void {
    this.now();
    if (caughtUp) this.#lagging.delete(input);
    else this.#lagging.set(input, this.#lastWall);
  }

  /**
   * An input that delivered nothing for `settleMs` of wall time although its end offset was ahead
   * (transaction markers and compacted-away records occupy offsets no batch reaches) counts as
   * caught up: the log has nothing left to give.
   */
  settle(settleMs: number): void {
    this.now();
    for (const [input, lastBatch] of this.#lagging) if (this.#lastWall - lastBatch >= settleMs) this.#lagging.delete(input);
  }

  get lagging(): string[] {
    return [...this.#lagging.keys()];
  }
}
