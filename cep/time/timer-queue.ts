import { MinHeap } from './min-heap';

/** An event-time timer of one key. */
export interface Timer {
  readonly time: number;
  readonly key: string;
}

function timerPrecedes(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.key < b.key);
}

/**
 * Event-time timers of all keys of a task, fired in (time, key) order so that the firing order
 * does not depend on registration order. Deduplication and deletion are the owner's business:
 * it keeps each key's timer times in keyed state (so timers reach the changelog) and skips
 * popped timers that are no longer registered there.
 */
export class TimerQueue {
  readonly #heap = new MinHeap<Timer>(timerPrecedes);

  add(key: string, time: number): void {
    this.#heap.push({ time, key });
  }

  /** The earliest timer with time <= limit, removed from the queue. */
  popDue(limit: number): Timer | undefined {
    const next = this.#heap.peek();
    if (next === undefined || next.time > limit) return undefined;
    return this.#heap.pop();
  }

  clear(): void {
    this.#heap.clear();
  }
}
