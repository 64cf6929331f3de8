import { grownTo } from '../state/block-allocator';
import { MinHeap } from './min-heap';

const NONE = -1;
/** Milliseconds the wheel spans ahead of its cursor: more than any out-of-orderness bound a job is expected to set. */
const SPAN_MS = 8192;
const MASK = SPAN_MS - 1;

/**
 * Items (non-negative integer ids, such as record slots) by an event-time priority, taken out in
 * (priority, tie order) up to a limit: the order of a MinHeap with the same tie order, for a queue
 * whose limit, the watermark, only grows. A timing wheel, as Kafka's delayed operations and
 * Varghese and Lauck's timers use: a ring of one-millisecond slots covering SPAN_MS from the
 * cursor, each a list of its items in push order; items beyond the ring wait in a MinHeap and
 * move onto it as the cursor comes within reach. A slot's few items are ordered once, when the
 * cursor reaches it. A binary heap instead sifts every record through about log2(n) levels on
 * the way in and out, comparing input ranks and offsets at each level where times tie, as they
 * do at a few records per millisecond. The cursor moves one millisecond at a time but never past
 * the limit, so the wheel's cost beyond its items is the watermark's advance in milliseconds.
 *
 * Items pushed below the cursor (the limit is not expected to go back, but a caller may) join the
 * items already taken off the ring, in order, so the order holds whatever is pushed.
 */
export class TimingWheel {
  readonly #tieBefore: (a: number, b: number) => boolean;
  /** First and last item of each slot's list, NONE when empty; `#next` links a list. */
  readonly #first = new Int32Array(SPAN_MS).fill(NONE);
  readonly #last = new Int32Array(SPAN_MS).fill(NONE);
  #next = new Int32Array(0);
  #priority = new Float64Array(0);
  /** The millisecond of the cursor's slot: ring items have whole-millisecond times in [cursor, cursor + SPAN_MS). */
  #cursor = 0;
  #onRing = 0;
  /**
   * Items taken off the ring (whole-millisecond times below the cursor) in order, from `#dueHead`
   * to `#dueEnd`; both go back to 0 when it empties, without setting the array's length, which
   * costs a call into the runtime.
   */
  readonly #due: number[] = [];
  #dueHead = 0;
  #dueEnd = 0;
  readonly #beyond: MinHeap<number>;

  /** `tieBefore(a, b)` is true when a must come out strictly before b at equal priority. */
  constructor(tieBefore: (a: number, b: number) => boolean) {
    this.#tieBefore = tieBefore;
    this.#beyond = new MinHeap(tieBefore);
  }

  get size(): number {
    return this.#dueEnd - this.#dueHead + this.#onRing + this.#beyond.size;
  }

  push(item: number, priority: number): void {
    // The cursor steps through whole milliseconds: at an infinite or NaN time it would never arrive.
    if (!Number.isFinite(priority)) throw new RangeError(`timing wheel priority ${priority} is not a finite time`);
    if (item >= this.#next.length) {
      const capacity = Math.max(item + 1, this.#next.length * 2, 64);
      this.#next = grownTo(this.#next, capacity);
      this.#priority = grownTo(this.#priority, capacity);
    }
    this.#priority[item] = priority;
    const at = Math.floor(priority);
    if (this.size === 0) this.#cursor = at;
    if (at < this.#cursor) this.#insertDue(item);
    else if (at < this.#cursor + SPAN_MS) this.#append(item, at);
    else this.#beyond.push(item, priority);
  }

  /** Takes out the next item in order if its priority is <= limit; NONE (-1) otherwise. */
  popUpTo(limit: number): number {
    const due = this.#due;
    for (;;) {
      if (this.#dueHead < this.#dueEnd) {
        const item = due[this.#dueHead]!;
        if (this.#priority[item]! > limit) return NONE;
        if (++this.#dueHead === this.#dueEnd) this.#dueHead = this.#dueEnd = 0;
        return item;
      }
      if (this.#onRing === 0) {
        if (this.#beyond.size === 0) return NONE;
        this.#cursor = Math.floor(this.#beyond.peekPriority());
        this.#reachBeyond();
      }
      // Every item on the ring is at or after the cursor's millisecond.
      if (this.#cursor > limit) return NONE;
      this.#takeSlot(this.#cursor & MASK);
      this.#cursor++;
      this.#reachBeyond();
    }
  }

  clear(): void {
    this.#first.fill(NONE);
    this.#last.fill(NONE);
    this.#onRing = 0;
    this.#dueHead = this.#dueEnd = 0;
    this.#beyond.clear();
  }

  #append(item: number, at: number): void {
    const slot = at & MASK;
    const last = this.#last[slot]!;
    if (last === NONE) this.#first[slot] = item;
    else this.#next[last] = item;
    this.#last[slot] = item;
    this.#next[item] = NONE;
    this.#onRing++;
  }

  /** Moves the heap's items that the ring now spans onto it. */
  #reachBeyond(): void {
    const beyond = this.#beyond;
    const end = this.#cursor + SPAN_MS;
    while (beyond.peekPriority() < end) {
      const item = beyond.pop()!;
      this.#append(item, Math.floor(this.#priority[item]!));
    }
  }

  /** Moves a slot's items to the due list, in order. */
  #takeSlot(slot: number): void {
    let item = this.#first[slot]!;
    if (item === NONE) return;
    this.#first[slot] = NONE;
    this.#last[slot] = NONE;
    for (; item !== NONE; item = this.#next[item]!) {
      this.#onRing--;
      this.#insertDue(item);
    }
  }

  /** Inserts by insertion sort from the end: items mostly arrive in order, so it rarely moves one. */
  #insertDue(item: number): void {
    const due = this.#due;
    let at = this.#dueEnd++;
    if (at === due.length) due.push(item);
    while (at > this.#dueHead && this.#precedes(item, due[at - 1]!)) {
      due[at] = due[at - 1]!;
      at--;
    }
    due[at] = item;
  }

  #precedes(a: number, b: number): boolean {
    const priorityA = this.#priority[a]!;
    const priorityB = this.#priority[b]!;
    return priorityA < priorityB || (priorityA === priorityB && this.#tieBefore(a, b));
  }
}
