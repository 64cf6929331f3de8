/**
 * One row of numbers per key id, shared by the operators that keep a key's state as a few
 * numbers (where its recent events are, its session, its expiry). A key's fields are adjacent,
 * so an event reads all of them from two or three cache lines, where a typed array per field
 * would cost a cache miss per field: with 100,000 keys the columns do not fit in cache, and a
 * miss is what an event's state costs.
 *
 * Operators claim their fields when they are built; the field `offset` of key `id` is then
 * `values[id * width + offset]`. Fields of a new id are 0.
 */
export class KeyRows {
  #width = 0;
  #values = new Float64Array(0);
  #capacity = 0;

  /** Claims `count` fields of every row and returns the offset of the first. */
  claim(count: number): number {
    const offset = this.#width;
    this.#relayout(this.#width + count, this.#capacity);
    return offset;
  }

  get width(): number {
    return this.#width;
  }

  /** The rows; replaced when they grow, so read it per use rather than keeping it. */
  get values(): Float64Array {
    return this.#values;
  }

  /** Makes room for ids below `capacity`. */
  grow(capacity: number): void {
    this.#relayout(this.#width, capacity);
  }

  #relayout(width: number, capacity: number): void {
    const values = new Float64Array(capacity * width);
    if (width === this.#width) values.set(this.#values);
    else for (let id = 0; id < this.#capacity; id++) values.set(this.#values.subarray(id * this.#width, (id + 1) * this.#width), id * width);
    this.#values = values;
    this.#width = width;
    this.#capacity = capacity;
  }
}
