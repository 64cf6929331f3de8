type RowArray = Float64Array | Int32Array | unknown[];

/**
 * Fields of one element type in a row per key id; the field `offset` of key `id` is
 * `values[id * width + offset]`. Fields of a new id are what `create` fills a new array with.
 */
export class RowFields<T extends RowArray> {
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
    const old = this.#values;
    for (let id = 0; id < this.#capacity; id++) {
      for (let field = 0; field < this.#width; field++) values[id * width + field] = old[id * this.#width + field]!;
    }
    this.#values = values;
    this.#width = width;
    this.#capacity = capacity;
  }
}

/**
 * Rows per key id, shared by the operators that keep a key's state as a few numbers (where its
 * recent events are, its session, its expiry) or a few references (its key string, its profile,
 * its session's devices, a stage's state object): integers in one array, times and sums in
 * another, references in a third. A key's fields are adjacent, so an event reads them from a
 * cache line or two, where an array per field would cost a cache miss per field: with 100,000
 * keys the columns do not fit in cache, and misses are what an event's state costs. Operators
 * claim their fields when they are built.
 */
export class KeyRows {
  readonly ints = new RowFields((length) => new Int32Array(length));
  readonly floats = new RowFields((length) => new Float64Array(length));
  // Filled rather than holey: reading a hole of a holey array checks the prototype chain.
  readonly refs = new RowFields((length) => new Array<unknown>(length).fill(undefined));

  /** Makes room for ids below `capacity`. */
  grow(capacity: number): void {
    this.ints.grow(capacity);
    this.floats.grow(capacity);
    this.refs.grow(capacity);
  }
}
