import { KeyIndex } from '../state/key-index';

/**
 * Maps ids of bounded populations (merchants, countries) to small integers, so per-key state
 * stores numbers instead of string references and distinct counts can use `DistinctCounter`. The
 * table only grows; it is not part of a snapshot (state encodes the strings), so a restored task builds its
 * own numbering.
 */
export class Interner {
  readonly #values: string[] = [];
  /** A KeyIndex rather than a Map, for the same reason as keyed state: the strings are a decoder's fresh ones. */
  readonly #ids = new KeyIndex((id) => this.#values[id]);
  /**
   * The last lookup: operators of one event ask for the same id string in turn, and a pointer
   * comparison is far cheaper than a hash-table probe in a large table.
   */
  #lastValue: string | undefined;
  #lastId = -1;

  get size(): number {
    return this.#values.length;
  }

  id(value: string): number {
    if (value === this.#lastValue) return this.#lastId;
    let id = this.#ids.find(value);
    if (id < 0) {
      id = this.#values.length;
      this.#values.push(value);
      this.#ids.add(value, id);
    }
    this.#lastValue = value;
    this.#lastId = id;
    return id;
  }

  value(id: number): string {
    const value = this.#values[id];
    if (value === undefined) throw new RangeError(`no interned value with id ${id}`);
    return value;
  }
}

/**
 * Counts distinct interned ids in one pass without allocating: each round stamps the ids it has
 * seen with a fresh epoch, so nothing has to be cleared between rounds.
 */
export class DistinctCounter {
  readonly #interner: Interner;
  #stamps = new Int32Array(1024);
  #epoch = 0;

  constructor(interner: Interner) {
    this.#interner = interner;
  }

  begin(): void {
    if (this.#stamps.length < this.#interner.size) {
      this.#stamps = new Int32Array(Math.max(this.#interner.size, this.#stamps.length * 2));
    }
    if (++this.#epoch === 0x7fffffff) {
      this.#stamps.fill(0);
      this.#epoch = 1;
    }
  }

  /** True the first time `id` is seen in the current round. */
  add(id: number): boolean {
    if (this.#stamps[id] === this.#epoch) return false;
    this.#stamps[id] = this.#epoch;
    return true;
  }
}
