import type { KeyRows } from '../state/key-rows';
import { KeyedBlocks } from '../state/keyed-blocks';

/** Blocks start at two strings: most sessions see one or two devices. */
const MIN_SIZE_CLASS = 1;

/**
 * One small set of strings per key (a session's device ids), each in a block of one shared array
 * (see KeyedBlocks): the set is found from the row the event has already read, where an array
 * object per key would be one more object to reach, and one more to allocate per added string.
 * Sets are small, so membership is a scan.
 */
export class StringSets {
  readonly #values: (string | undefined)[] = [];
  readonly #blocks: KeyedBlocks;
  readonly #move = (from: number, to: number, count: number): void => {
    for (let at = 0; at < count; at++) {
      this.#values[to + at] = this.#values[from + at];
      this.#values[from + at] = undefined;
    }
  };

  constructor(rows: KeyRows) {
    this.#blocks = new KeyedBlocks(rows, MIN_SIZE_CLASS, (capacity) => {
      while (this.#values.length < capacity) this.#values.push(undefined);
    });
  }

  size(key: number): number {
    return this.#blocks.count(key);
  }

  /** Adds `value` to the key's set; false when it was already there. */
  add(key: number, value: string): boolean {
    const count = this.#blocks.count(key);
    const first = this.#blocks.start(key);
    for (let at = first; at < first + count; at++) if (this.#values[at] === value) return false;
    this.#values[this.#blocks.reserve(key, this.#move) + count] = value;
    this.#blocks.added(key);
    return true;
  }

  /** The key's strings in the order they were added. */
  values(key: number): string[] {
    const start = this.#blocks.start(key);
    return this.#values.slice(start, start + this.#blocks.count(key)) as string[];
  }

  clear(key: number): void {
    const start = this.#blocks.start(key);
    // Emptied, so that the block does not keep the strings alive until it is reused.
    for (let at = start; at < start + this.#blocks.count(key); at++) this.#values[at] = undefined;
    this.#blocks.release(key);
  }
}
