/**
 * Hands out blocks of consecutive slots, sized in powers of two, from one growing index space,
 * so that per-key state of variable length (a key's recent events, a session's id sets) lives in
 * a few shared typed arrays instead of an array object per key. A freed block is reused by the
 * next request of its size; the owner keeps its columns at least `capacity` slots long, and is
 * told through `grow` when that changes.
 */
export class BlockAllocator {
  readonly #grow: (capacity: number) => void;
  /** Free block starts by size class (log2 of the block size). */
  readonly #free: number[][] = [];
  #capacity = 0;
  #used = 0;

  constructor(grow: (capacity: number) => void, initialCapacity = 1_024) {
    this.#grow = grow;
    this.#resize(initialCapacity);
  }

  /** First slot of a free block of `1 << sizeClass` slots. */
  allocate(sizeClass: number): number {
    const reused = this.#free[sizeClass]?.pop();
    if (reused !== undefined) return reused;
    const size = 1 << sizeClass;
    const start = this.#used;
    // Half again rather than double: the slack of the last growth is part of every key's memory.
    if (start + size > this.#capacity) this.#resize(Math.max(Math.ceil(this.#capacity * 1.5), start + size));
    this.#used += size;
    return start;
  }

  release(start: number, sizeClass: number): void {
    (this.#free[sizeClass] ??= []).push(start);
  }

  clear(): void {
    this.#free.length = 0;
    this.#used = 0;
  }

  #resize(capacity: number): void {
    this.#capacity = capacity;
    this.#grow(capacity);
  }
}

/** Log2 of the size of the block that holds `count` entries: blocks double when they fill. */
export function sizeClassOf(count: number, minSizeClass: number): number {
  return Math.max(minSizeClass, 32 - Math.clz32(count - 1));
}

/** The column with at least `capacity` elements, its contents kept. */
export function grownTo<T extends Float64Array | Int32Array | Uint8Array>(column: T, capacity: number): T {
  if (column.length >= capacity) return column;
  const grown = new (column.constructor as new (length: number) => T)(capacity);
  grown.set(column);
  return grown;
}
