import { BlockAllocator, grownTo } from '../state/block-allocator';

/** Blocks start at four ids; a set that fills its block moves to one twice the size. */
const MIN_SIZE_CLASS = 2;

/**
 * One sorted set of interned ids per key (a session's merchants, its devices), each in a block
 * of one shared Int32Array: adding an id costs no allocation unless the set outgrows its block,
 * and a key's set is a few adjacent integers.
 */
export class IdSets {
  #ids = new Int32Array(0);
  readonly #blocks = new BlockAllocator((capacity) => {
    this.#ids = grownTo(this.#ids, capacity);
  });
  /** Per key: first slot of its block, log2 of the block size and the set's size. */
  #start = new Int32Array(0);
  #sizeClass = new Uint8Array(0);
  #count = new Int32Array(0);

  growKeys(capacity: number): void {
    this.#start = grownTo(this.#start, capacity);
    this.#sizeClass = grownTo(this.#sizeClass, capacity);
    this.#count = grownTo(this.#count, capacity);
  }

  size(key: number): number {
    return this.#count[key]!;
  }

  /** Adds `id` to the key's set; false when it was already there. */
  add(key: number, id: number): boolean {
    const count = this.#count[key]!;
    let start = this.#start[key]!;
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
      this.#start[key] = start;
      this.#sizeClass[key] = MIN_SIZE_CLASS;
      low = start;
    } else if (count === 1 << this.#sizeClass[key]!) {
      const sizeClass = this.#sizeClass[key]!;
      const moved = this.#blocks.allocate(sizeClass + 1);
      this.#ids.copyWithin(moved, start, start + count);
      this.#blocks.release(start, sizeClass);
      this.#start[key] = moved;
      this.#sizeClass[key] = sizeClass + 1;
      low += moved - start;
      start = moved;
    }
    this.#ids.copyWithin(low + 1, low, start + count);
    this.#ids[low] = id;
    this.#count[key] = count + 1;
    return true;
  }

  /** The key's ids in ascending order. */
  values(key: number): number[] {
    const start = this.#start[key]!;
    return Array.from(this.#ids.subarray(start, start + this.#count[key]!));
  }

  clear(key: number): void {
    if (this.#count[key] === 0) return;
    this.#blocks.release(this.#start[key]!, this.#sizeClass[key]!);
    this.#count[key] = 0;
  }
}
