/**
 * Binary min-heap of items by a numeric priority (an event time), with a caller-supplied order
 * among items of equal priority. Used by the timer queue and for the timing wheel's items beyond its
 * span; a total order makes the pop sequence independent of the push sequence, which is what lets
 * a restored task (whose heap is rebuilt in another order) release exactly the same events.
 *
 * Priorities live in a Float64Array beside the items: sifting compares them there, contiguous
 * and unboxed, instead of loading every item (and its boxed time) from wherever it sits in the
 * heap. Items are only touched on a tie.
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  #priorities = new Float64Array(256);
  readonly #tieBefore: (a: T, b: T) => boolean;

  /** `tieBefore(a, b)` is true when a must come out strictly before b at equal priority. */
  constructor(tieBefore: (a: T, b: T) => boolean) {
    this.#tieBefore = tieBefore;
  }

  get size(): number {
    return this.#items.length;
  }

  /** The smallest priority, Infinity when empty. */
  peekPriority(): number {
    return this.#items.length === 0 ? Infinity : this.#priorities[0]!;
  }

  push(item: T, priority: number): void {
    const items = this.#items;
    let index = items.length;
    if (index === this.#priorities.length) {
      const grown = new Float64Array(index * 2);
      grown.set(this.#priorities);
      this.#priorities = grown;
    }
    const priorities = this.#priorities;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(priority, item, priorities[parent]!, items[parent]!)) break;
      items[index] = items[parent]!;
      priorities[index] = priorities[parent]!;
      index = parent;
    }
    items[index] = item;
    priorities[index] = priority;
  }

  pop(): T | undefined {
    const items = this.#items;
    const priorities = this.#priorities;
    const top = items[0];
    const last = items.pop();
    const size = items.length;
    if (size === 0 || last === undefined) return top;
    const lastPriority = priorities[size]!;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.#before(priorities[right]!, items[right]!, priorities[left]!, items[left]!) ? right : left;
      if (!this.#before(priorities[child]!, items[child]!, lastPriority, last)) break;
      items[index] = items[child]!;
      priorities[index] = priorities[child]!;
      index = child;
    }
    items[index] = last;
    priorities[index] = lastPriority;
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }

  #before(priorityA: number, a: T, priorityB: number, b: T): boolean {
    return priorityA < priorityB || (priorityA === priorityB && this.#tieBefore(a, b));
  }
}
