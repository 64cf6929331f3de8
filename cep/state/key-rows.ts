type NumberArray = Float64Array | Int32Array;

/**
 * Fields of one element type in a row per key id; the field `offset` of key `id` is
 * `values[id * width + offset]`. Fields of a new id are 0.
 */
export class RowFields<T extends NumberArray> {
  readonly #create: (length: number) => T;
  #width = 0;
  #capacity = 0;
  #values: T;

  constructor(create: (length: number) => T) {
    this.#create = create;
    this.#values = create(0);
  }

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
  get values(): T {
    return this.#values;
  }

  grow(capacity: number): void {
    this.#relayout(this.#width, capacity);
  }

  #relayout(width: number, capacity: number): void {
    const values = this.#create(capacity * width);
    if (width === this.#width) values.set(this.#values);
    else for (let id = 0; id < this.#capacity; id++) values.set(this.#values.subarray(id * this.#width, (id + 1) * this.#width), id * width);
    this.#values = values;
    this.#width = width;
    this.#capacity = capacity;
  }
}

/**
 * Rows of numbers per key id, shared by the operators that keep a key's state as a few numbers
 * (where its recent events are, its session, its expiry): integers in one array, times and sums
 * in another. A key's fields are adjacent, so an event reads them from a cache line or two,
 * where a typed array per field would cost a cache miss per field: with 100,000 keys the columns
 * do not fit in cache, and misses are what an event's state costs. Operators claim their fields
 * when they are built.
 */
export class KeyRows {
  readonly ints = new RowFields((length) => new Int32Array(length));
  readonly floats = new RowFields((length) => new Float64Array(length));

  /** Makes room for ids below `capacity`. */
  grow(capacity: number): void {
    this.ints.grow(capacity);
    this.floats.grow(capacity);
  }
}
