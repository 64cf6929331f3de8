import { MinHeap } from './min-heap';

/** An event-time timer of one key. */
export interface Timer {
  readonly time: number;
  readonly key: string;
}

const keyPrecedes = (a: Timer, b: Timer): boolean => a.key < b.key;

/**
 * Event-time timers of all keys of a task, fired in (time, key) order so that the firing order
 * does not depend on registration order. Deduplication and deletion are the owner's business:
 * it keeps each key's timer times in keyed state (so timers reach the changelog) and skips
 * popped timers that are no longer registered there.
 */
export class TimerQueue {
  readonly #heap = new MinHeap<Timer>(keyPrecedes);

  add(key: string, time: number): void {
    this.#heap.push({ time, key }, time);
  }

  /** The earliest timer with time <= limit, removed from the queue. */
  popDue(limit: number): Timer | undefined {
    return this.#heap.peekPriority() <= limit ? this.#heap.pop() : undefined;
  }

  clear(): void {
    this.#heap.clear();
  }
}
