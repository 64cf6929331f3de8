import { grownTo } from '../state/block-allocator';
import type { KeyRows } from '../state/key-rows';
import { KeyedBlocks } from '../state/keyed-blocks';

/** Blocks start at four ids; a set that fills its block moves to one twice the size. */
const MIN_SIZE_CLASS = 2;

/**
 * One sorted set of interned ids per key (a session's merchants), each in a block of one shared
 * Int32Array (see KeyedBlocks): adding an id costs no allocation unless the set outgrows its
 * block, and a key's set is a few adjacent integers.
 */
export class IdSets {
  #ids = new Int32Array(0);
  readonly #blocks: KeyedBlocks;
  readonly #move = (from: number, to: number, count: number): void => void this.#ids.copyWithin(to, from, from + count);

  constructor(rows: KeyRows) {
    this.#blocks = new KeyedBlocks(rows, MIN_SIZE_CLASS, (capacity) => {
      this.#ids = grownTo(this.#ids, capacity);
    });
  }

  size(key: number): number {
    return this.#blocks.count(key);
  }

  /** Adds `id` to the key's set; false when it was already there. */
  add(key: number, id: number): boolean {
    const count = this.#blocks.count(key);
    const first = this.#blocks.start(key);
    let low = first;
    let high = first + count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#ids[mid]! < id) low = mid + 1;
      else high = mid;
    }
    if (low < first + count && this.#ids[low] === id) return false;
    const index = low - first;
    const start = this.#blocks.reserve(key, this.#move);
    this.#ids.copyWithin(start + index + 1, start + index, start + count);
    this.#ids[start + index] = id;
    this.#blocks.added(key);
    return true;
  }

  /** The key's ids in ascending order. */
  values(key: number): number[] {
    const start = this.#blocks.start(key);
    return Array.from(this.#ids.subarray(start, start + this.#blocks.count(key)));
  }

  clear(key: number): void {
    this.#blocks.release(key);
  }
}
