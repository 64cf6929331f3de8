/**
 * The processing time a task sees. Idleness is judged by processing time (a partition without data
 * for the idle timeout stops holding the watermark back), but while the scorer works through a
 * backlog a partition can wait its turn for longer than that with records already in the log:
 * taking it for idle would let the watermark run ahead and make its records late. So this clock
 * only advances with the wall clock while every input partition of the task is caught up, and
 * stands still while any of them has records the task has not read yet.
 *
 * Caught up is judged on offsets alone, never on how long an input has been quiet: a rebalance or a
 * slow broker can hold back delivery for longer than any timeout, and a clock that moved then would
 * decide differently from a replay of the same log. An input is caught up once the task has read up
 * to the end offset last seen of it, transaction markers and aborted records included (the consumer
 * reports how far its reads reached even when they held no records for the task).
 */
export class CatchUpClock {
  readonly #wall: () => number;
  /** Per input: how far the task has read, and the log's end as last seen. */
  readonly #inputs = new Map<string, { reach: bigint; end: bigint }>();
  #time: number;
  #lastWall: number;

  /** `positions`: where the task starts reading each input. */
  constructor(wall: () => number, positions: ReadonlyMap<string, bigint>) {
    this.#wall = wall;
    this.#lastWall = wall();
    this.#time = this.#lastWall;
    for (const [input, position] of positions) this.#inputs.set(input, { reach: position, end: position });
  }

  now(): number {
    const wall = this.#wall();
    if (!this.#anyLagging()) this.#time += Math.max(0, wall - this.#lastWall);
    this.#lastWall = wall;
    return this.#time;
  }

  /** The log of `input` ends at `end` or later. */
  ended(input: string, end: bigint): void {
    this.now();
    const state = this.#state(input);
    if (end > state.end) state.end = end;
  }

  /** The task has read `input` up to `next` (the offset after the last one read, markers included). */
  reached(input: string, next: bigint): void {
    this.now();
    const state = this.#state(input);
    if (next > state.reach) state.reach = next;
  }

  get lagging(): string[] {
    return [...this.#inputs].filter(([, { reach, end }]) => reach < end).map(([input]) => input);
  }

  #anyLagging(): boolean {
    for (const { reach, end } of this.#inputs.values()) if (reach < end) return true;
    return false;
  }

  #state(input: string): { reach: bigint; end: bigint } {
    let state = this.#inputs.get(input);
    if (state === undefined) this.#inputs.set(input, (state = { reach: 0n, end: 0n }));
    return state;
  }
}
