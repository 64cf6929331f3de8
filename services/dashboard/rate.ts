// Events per second over a sliding window of wall-clock time, in one-second buckets: memory and cost
// stay constant whatever the rate, which a list of timestamps would not.

export interface RateOptions {
  /** The window the rate is averaged over. */
  readonly windowSeconds: number;
  /** How many seconds `history` reports; at least the window. */
  readonly historySeconds: number;
}

export class RateCounter {
  readonly #windowSeconds: number;
  readonly #counts: number[];
  /** The second each slot currently counts; a slot of an older second is stale and reads as zero. */
  readonly #seconds: number[];
  #firstSecond: number | undefined;

  constructor({ windowSeconds, historySeconds }: RateOptions) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error(`windowSeconds must be an integer >= 1, got ${windowSeconds}`);
    if (!Number.isInteger(historySeconds) || historySeconds < windowSeconds) {
      throw new Error(`historySeconds must be an integer >= windowSeconds (${windowSeconds}), got ${historySeconds}`);
    }
    this.#windowSeconds = windowSeconds;
    this.#counts = new Array<number>(historySeconds).fill(0);
    this.#seconds = new Array<number>(historySeconds).fill(-1);
  }

  add(now: number, n = 1): void {
    const second = Math.floor(now / 1000);
    this.#firstSecond ??= second;
    const slot = second % this.#counts.length;
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += n;
  }

  /**
   * Per second over the window ending now. Before a full window has passed since the first event, over
   * the time since that event's second began, so a fresh stream is not reported at a fraction of its rate.
   */
  rate(now: number): number {
    if (this.#firstSecond === undefined) return 0;
    const current = Math.floor(now / 1000);
    const from = Math.max(current - this.#windowSeconds + 1, this.#firstSecond);
    let sum = 0;
    for (let second = from; second <= current; second++) sum += this.#countAt(second);
    const spanMs = Math.max(1000, now - from * 1000);
    return (sum * 1000) / spanMs;
  }

  /** Events in each of the last `historySeconds` seconds, the current one last. */
  history(now: number): number[] {
    const current = Math.floor(now / 1000);
    const length = this.#counts.length;
    return Array.from({ length }, (_, i) => this.#countAt(current - length + 1 + i));
  }

  #countAt(second: number): number {
    if (second < 0) return 0;
    const slot = second % this.#counts.length;
    return this.#seconds[slot] === second ? this.#counts[slot]! : 0;
  }
}
