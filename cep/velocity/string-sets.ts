import { BlockAllocator, sizeClassOf } from '../state/block-allocator';
import type { KeyRows, RowFields } from '../state/key-rows';

/** Blocks start at two strings: most sessions see one or two devices. */
const MIN_SIZE_CLASS = 1;

/** A key's fields in the store's rows. */
const START = 0;
const COUNT = 1;

/**
 * One small set of strings per key (a session's device ids), each in a block of one shared array,
 * with the block's start and the set's size in the key's integer row: the set is found from the
 * row the event has already read, where an array object per key would be one more object to reach
 * (and one more to allocate per added string). Sets are small, so membership is a scan.
 */
export class StringSets {
  readonly #values: (string | undefined)[] = [];
  readonly #blocks = new BlockAllocator((capacity) => {
    while (this.#values.length < capacity) this.#values.push(undefined);
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

  /** Adds `value` to the key's set; false when it was already there. */
  add(key: number, value: string): boolean {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    let start = fields[row + START]!;
    const values = this.#values;
    for (let at = start; at < start + count; at++) if (values[at] === value) return false;
    if (count === 0) {
      start = this.#blocks.allocate(MIN_SIZE_CLASS);
      fields[row + START] = start;
    } else if (count === 1 << sizeClassOf(count, MIN_SIZE_CLASS)) {
      const sizeClass = sizeClassOf(count, MIN_SIZE_CLASS);
      const moved = this.#blocks.allocate(sizeClass + 1);
      for (let at = 0; at < count; at++) {
        values[moved + at] = values[start + at];
        values[start + at] = undefined;
      }
      this.#blocks.release(start, sizeClass);
      fields[row + START] = moved;
      start = moved;
    }
    values[start + count] = value;
    fields[row + COUNT] = count + 1;
    return true;
  }

  /** The key's strings in the order they were added. */
  values(key: number): string[] {
    const row = this.#row(key);
    const start = this.#rows.values[row + START]!;
    return this.#values.slice(start, start + this.#rows.values[row + COUNT]!) as string[];
  }

  clear(key: number): void {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    if (count === 0) return;
    const start = fields[row + START]!;
    // Emptied, so that the block does not keep the strings alive until it is reused.
    for (let at = start; at < start + count; at++) this.#values[at] = undefined;
    this.#blocks.release(start, sizeClassOf(count, MIN_SIZE_CLASS));
    fields[row + COUNT] = 0;
  }

  #row(key: number): number {
    return key * this.#rows.width + this.#fields;
  }
}
