/**
 * When the watermark could first pass each payment, seen by a consumer of the payments topic on the
 * same clock as the decisions. A task's watermark is the lowest, over its input partitions, of the
 * highest event time seen less the bound; so a payment at event time t can be released once every
 * partition has carried an event time of at least t + bound. Until then it waits on its input (the
 * bound, the producer's batching, a producer falling behind the clock), not on the engine.
 */
export class WatermarkWait {
  readonly #boundMs: number;
  /** Per partition, in arrival order: when each record arrived, and the highest event time up to it. */
  readonly #partitions = new Map<number, { arrivedAt: number[]; highest: number[] }>();

  constructor(boundMs: number) {
    this.#boundMs = boundMs;
  }

  /** Called in arrival order within a partition. */
  arrived(partition: number, eventTime: number, arrivedAt: number): void {
    let seen = this.#partitions.get(partition);
    if (seen === undefined) this.#partitions.set(partition, (seen = { arrivedAt: [], highest: [] }));
    seen.arrivedAt.push(arrivedAt);
    seen.highest.push(Math.max(eventTime, seen.highest.at(-1) ?? -Infinity));
  }

  /** When the last partition carried `eventTime` + bound; undefined if one never did (the stream ended first). */
  passableAt(eventTime: number): number | undefined {
    const due = eventTime + this.#boundMs;
    let latest = -Infinity;
    for (const { arrivedAt, highest } of this.#partitions.values()) {
      const index = firstAtLeast(highest, due);
      if (index === highest.length) return undefined;
      latest = Math.max(latest, arrivedAt[index]!);
    }
    return latest === -Infinity ? undefined : latest;
  }
}

/** Index of the first element >= `value` in an ascending array, or its length. */
function firstAtLeast(ascending: readonly number[], value: number): number {
  let low = 0;
  let high = ascending.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ascending[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
