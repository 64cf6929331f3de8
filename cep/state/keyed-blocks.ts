import { BlockAllocator, sizeClassOf } from './block-allocator';
import type { KeyRows, RowFields } from './key-rows';

/** A key's fields in the store's rows. */
const START = 0;
const COUNT = 1;

/**
 * Where each key's entries are in a shared column (a typed or plain array the owner keeps): a
 * block of it, whose start and entry count are two fields of the key's integer row. For per-key
 * collections of varying size (a session's merchants, its devices): a key's entries are found
 * from the row the event has already read, and adding one costs no allocation unless the block is
 * full, when the entries move to a block twice the size.
 */
export class KeyedBlocks {
  readonly #allocator: BlockAllocator;
  readonly #rows: RowFields<Int32Array>;
  readonly #fields: number;
  readonly #minSizeClass: number;

  /** `growColumn` makes the owner's column at least `capacity` entries long. */
  constructor(rows: KeyRows, minSizeClass: number, growColumn: (capacity: number) => void) {
    this.#rows = rows.ints;
    this.#fields = rows.ints.claim(2);
    this.#minSizeClass = minSizeClass;
    this.#allocator = new BlockAllocator(growColumn);
  }

  count(key: number): number {
    return this.#rows.values[this.#row(key) + COUNT]!;
  }

  /** Column index of the key's first entry. */
  start(key: number): number {
    return this.#rows.values[this.#row(key) + START]!;
  }

  /**
   * Makes room for one more entry of the key and returns where its block now starts; the owner
   * writes the entry, then calls `added`. `move(from, to, count)` moves the entries when the block
   * is replaced by a larger one.
   */
  reserve(key: number, move: (from: number, to: number, count: number) => void): number {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    if (count === 0) return (fields[row + START] = this.#allocator.allocate(this.#minSizeClass));
    const start = fields[row + START]!;
    const sizeClass = sizeClassOf(count, this.#minSizeClass);
    if (count < 1 << sizeClass) return start;
    const moved = this.#allocator.allocate(sizeClass + 1);
    move(start, moved, count);
    this.#allocator.release(start, sizeClass);
    return (fields[row + START] = moved);
  }

  added(key: number): void {
    this.#rows.values[this.#row(key) + COUNT]!++;
  }

  /** Frees the key's block; the owner drops what its entries held first, if it must. */
  release(key: number): void {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    if (count === 0) return;
    this.#allocator.release(fields[row + START]!, sizeClassOf(count, this.#minSizeClass));
    fields[row + COUNT] = 0;
  }

  #row(key: number): number {
    return key * this.#rows.width + this.#fields;
  }
}
