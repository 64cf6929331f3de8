import { BlockAllocator, grownTo, sizeClassOf as blockSizeClassOf } from '../state/block-allocator';
import type { KeyRows, RowFields } from '../state/key-rows';

/** Blocks start at four ids; a set that fills its block moves to one twice the size. */
const MIN_SIZE_CLASS = 2;

/** A key's fields in the store's rows. */
const START = 0;
const COUNT = 1;

const sizeClassOf = (count: number): number => blockSizeClassOf(count, MIN_SIZE_CLASS);

/**
 * One sorted set of interned ids per key (a session's merchants), each in a block
 * of one shared Int32Array, with the block's start and the set's size in the key's row: adding
 * an id costs no allocation unless the set outgrows its block, and a key's set is a few
 * adjacent integers.
 */
export class IdSets {
  #ids = new Int32Array(0);
  readonly #blocks = new BlockAllocator((capacity) => {
    this.#ids = grownTo(this.#ids, capacity);
  });
  readonly #rows: RowFields<Int32Array>;
  readonly #fields: number;

  constructor(rows: KeyRows) {
    this.#rows = rows.ints;
    this.#fields = rows.ints.claim(2);
  }

  size(key: number): number {
    return this.#rows.values[this.#row(key) + COUNT]!;
  }

  /** Adds `id` to the key's set; false when it was already there. */
  add(key: number, id: number): boolean {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    let start = fields[row + START]!;
    let low = start;
    let high = start + count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#ids[mid]! < id) low = mid + 1;
      else high = mid;
    }
    if (low < start + count && this.#ids[low] === id) return false;
    if (count === 0) {
      start = this.#blocks.allocate(MIN_SIZE_CLASS);
      fields[row + START] = start;
      low = start;
    } else if (count === 1 << sizeClassOf(count)) {
      const sizeClass = sizeClassOf(count);
      const moved = this.#blocks.allocate(sizeClass + 1);
      this.#ids.copyWithin(moved, start, start + count);
      this.#blocks.release(start, sizeClass);
      fields[row + START] = moved;
      low += moved - start;
      start = moved;
    }
    this.#ids.copyWithin(low + 1, low, start + count);
    this.#ids[low] = id;
    fields[row + COUNT] = count + 1;
    return true;
  }

  /** The key's ids in ascending order. */
  values(key: number): number[] {
    const row = this.#row(key);
    const start = this.#rows.values[row + START]!;
    return Array.from(this.#ids.subarray(start, start + this.#rows.values[row + COUNT]!));
  }

  clear(key: number): void {
    const row = this.#row(key);
    const fields = this.#rows.values;
    if (fields[row + COUNT] === 0) return;
    this.#blocks.release(fields[row + START]!, sizeClassOf(fields[row + COUNT]!));
    fields[row + COUNT] = 0;
  }

  #row(key: number): number {
    return key * this.#rows.width + this.#fields;
  }
}
