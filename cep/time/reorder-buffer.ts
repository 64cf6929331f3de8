import { type EventPosition, compareEventPositions } from './event-order';
import { MinHeap } from './min-heap';

/**
 * Records held back until the task watermark reaches their event time, released in event
 * order. The buffer is only an index: the task also keeps each pending record in its key's state,
 * so the pending records reach the changelog per key and are restored with it.
 */
export class ReorderBuffer<T extends EventPosition> {
  readonly #heap = new MinHeap<T>((a, b) => compareEventPositions(a, b) < 0);

  get size(): number {
    return this.#heap.size;
  }

  add(record: T): void {
    this.#heap.push(record, record.eventTime);
  }

  /** The next record in event order if the watermark has reached it (eventTime <= watermark). */
  releaseNext(watermark: number): T | undefined {
    return this.#heap.peekPriority() <= watermark ? this.#heap.pop() : undefined;
  }

  clear(): void {
    this.#heap.clear();
  }
}
