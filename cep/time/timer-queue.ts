import { MinHeap } from './min-heap';

const keyPrecedes = (a: string, b: string): boolean => a < b;

/**
 * Event-time timers of all keys of a task, fired in (time, key) order so that the firing order
 * does not depend on registration order. Deduplication and deletion are the owner's business:
 * it keeps each key's timer times in keyed state (so timers reach the changelog) and skips
 * popped timers that are no longer registered there. A timer is its key in the heap at its
 * time's priority, no object of its own: a key with partial matches holds one for minutes.
 */
export class TimerQueue {
  readonly #heap = new MinHeap<string>(keyPrecedes);
  /** Time of the timer `popDue` returned last. */
  time = -Infinity;

  add(key: string, time: number): void {
    this.#heap.push(key, time);
  }

  /** The key of the earliest timer with time <= limit, removed from the queue; its time is left in `time`. */
  popDue(limit: number): string | undefined {
    const time = this.#heap.peekPriority();
    if (time > limit) return undefined;
    this.time = time;
    return this.#heap.pop();
  }

  clear(): void {
    this.#heap.clear();
  }
}
