import { type EventPosition, precedes } from './event-order';
import { MinHeap } from './min-heap';

/**
 * Records held back until the task watermark reaches their event time, released in event
 * order. The buffer is only an index: the task also keeps each pending record in its key's state,
 * so the pending records reach the changelog per key and are restored with it.
 */
export class ReorderBuffer<T extends EventPosition> {
  readonly #heap = new MinHeap<T>(precedes);

  get size(): number {
    return this.#heap.size;
  }

  add(record: T): void {
    this.#heap.push(record);
  }

  /** The next record in event order if the watermark has reached it (eventTime <= watermark). */
  releaseNext(watermark: number): T | undefined {
    const next = this.#heap.peek();
    if (next === undefined || next.eventTime > watermark) return undefined;
    return this.#heap.pop();
  }

  clear(): void {
    this.#heap.clear();
  }
}
