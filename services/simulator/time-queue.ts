// A min-heap of items by (time, insertion order): the insertion order breaks ties so that equal
// times come out as they went in, which keeps the generated sequence a pure function of the seed.

interface Entry<T> {
  readonly time: number;
  readonly sequence: number;
  readonly item: T;
}

export class TimeQueue<T> {
  readonly #heap: Entry<T>[] = [];
  #sequence = 0;

  push(time: number, item: T): void {
    this.#heap.push({ time, sequence: this.#sequence++, item });
    this.#up(this.#heap.length - 1);
  }

  pop(): T | undefined {
    const top = this.#heap[0];
    if (!top) return undefined;
    const last = this.#heap.pop()!;
    if (this.#heap.length > 0) {
      this.#heap[0] = last;
      this.#down(0);
    }
    return top.item;
  }

  /** Removes and yields every item with time <= `time`, earliest first. */
  *popUntil(time: number): Generator<T> {
    while (this.#heap.length > 0 && this.#heap[0]!.time <= time) yield this.pop()!;
  }

  *drain(): Generator<T> {
    while (this.#heap.length > 0) yield this.pop()!;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
  }

  #up(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && this.#before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.#before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}
