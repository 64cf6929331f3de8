import { BlockAllocator, grownTo } from '../state/block-allocator';

/** Blocks start at two events: most keys hold one or two transactions of the look-back. */
const MIN_SIZE_CLASS = 1;

/**
 * Every key's recent transactions, oldest first, as columns indexed by event slot: time, amount,
 * interned merchant, `countryId * 2 + declined`, and the card id. A key's events sit in one block
 * of a shared allocator from its `head` on: eviction moves the head, and an insert that finds no
 * room at the block's end compacts the block or moves the events to one twice the size. So an
 * event costs no allocation, and a key's events are a few adjacent numbers.
 *
 * A card belongs to one account, so the account's events include every event of its cards; the
 * card features are the account's scan restricted to one card id (see VelocityCalculator).
 */
export class RecentEvents {
  #times = new Float64Array(0);
  #amounts = new Float64Array(0);
  #merchants = new Int32Array(0);
  #countryDeclined = new Int32Array(0);
  /** Card id of each event; an event reuses the string of a neighbour with the same card, so a key retains one copy. */
  #cards: (string | undefined)[] = [];
  readonly #blocks = new BlockAllocator((capacity) => this.#growSlots(capacity));
  /** Per key: first slot of its block, log2 of the block size, first event's slot and event count. */
  #start = new Int32Array(0);
  #sizeClass = new Uint8Array(0);
  #head = new Int32Array(0);
  #count = new Int32Array(0);

  get times(): Float64Array {
    return this.#times;
  }

  get amounts(): Float64Array {
    return this.#amounts;
  }

  get merchants(): Int32Array {
    return this.#merchants;
  }

  get countryDeclined(): Int32Array {
    return this.#countryDeclined;
  }

  get cards(): readonly (string | undefined)[] {
    return this.#cards;
  }

  growKeys(capacity: number): void {
    this.#start = grownTo(this.#start, capacity);
    this.#sizeClass = grownTo(this.#sizeClass, capacity);
    this.#head = grownTo(this.#head, capacity);
    this.#count = grownTo(this.#count, capacity);
  }

  count(key: number): number {
    return this.#count[key]!;
  }

  /** Slot of the key's oldest event; its events are the `count` slots from there. */
  first(key: number): number {
    return this.#head[key]!;
  }

  /** Index (0 = oldest) of the first event later than `time`: where an event at `time` goes after its equals. */
  insertionIndex(key: number, time: number): number {
    const head = this.#head[key]!;
    const times = this.#times;
    let low = 0;
    let high = this.#count[key]!;
    // Events mostly arrive in time order, so the answer is almost always the end.
    if (high === 0 || times[head + high - 1]! <= time) return high;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (times[head + mid]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Inserts an event at `index` (0 = oldest) of the key's events. */
  insert(key: number, index: number, time: number, amountMinor: number, merchant: number, countryDeclined: number, card: string): void {
    const count = this.#count[key]!;
    if (count === 0) {
      const start = this.#blocks.allocate(MIN_SIZE_CLASS);
      this.#start[key] = start;
      this.#sizeClass[key] = MIN_SIZE_CLASS;
      this.#head[key] = start;
    } else if (this.#head[key]! + count === this.#start[key]! + (1 << this.#sizeClass[key]!)) {
      this.#makeRoom(key, count);
    }
    const head = this.#head[key]!;
    const at = head + index;
    for (let slot = head + count; slot > at; slot--) this.#move(slot - 1, slot);
    this.#times[at] = time;
    this.#amounts[at] = amountMinor;
    this.#merchants[at] = merchant;
    this.#countryDeclined[at] = countryDeclined;
    const cards = this.#cards;
    this.#cards[at] = index > 0 && cards[at - 1] === card ? cards[at - 1] : index < count && cards[at + 1] === card ? cards[at + 1] : card;
    this.#count[key] = count + 1;
  }

  /** How many of the key's oldest events are at or before `horizon`. */
  evictableCount(key: number, horizon: number): number {
    const head = this.#head[key]!;
    const count = this.#count[key]!;
    let drop = 0;
    while (drop < count && this.#times[head + drop]! <= horizon) drop++;
    return drop;
  }

  /** Drops the key's events at or before `horizon` (they can no longer fall into any look-back); returns how many. */
  evictThrough(key: number, horizon: number): number {
    const drop = this.evictableCount(key, horizon);
    if (drop === 0) return 0;
    const head = this.#head[key]!;
    for (let slot = head; slot < head + drop; slot++) this.#cards[slot] = undefined;
    this.#head[key] = head + drop;
    this.#count[key] = this.#count[key]! - drop;
    if (this.#count[key] === 0) this.#blocks.release(this.#start[key]!, this.#sizeClass[key]!);
    return drop;
  }

  clear(key: number): void {
    this.evictThrough(key, Infinity);
  }

  /** Sets the card of the key's event `index`, for a restore that learns cards after events. */
  setCard(key: number, index: number, card: string): void {
    this.#cards[this.#head[key]! + index] = card;
  }

  /** Room for one more event at the block's end: compacted to the block's start, or moved to a block twice the size. */
  #makeRoom(key: number, count: number): void {
    const head = this.#head[key]!;
    let start = this.#start[key]!;
    // Slots from `vacated` on no longer hold the key's events once they are moved.
    let vacated = start + count;
    if (head === start) {
      const sizeClass = this.#sizeClass[key]!;
      start = this.#blocks.allocate(sizeClass + 1);
      this.#blocks.release(head, sizeClass);
      this.#start[key] = start;
      this.#sizeClass[key] = sizeClass + 1;
      vacated = head;
    }
    for (let index = 0; index < count; index++) this.#move(head + index, start + index);
    for (let slot = vacated; slot < head + count; slot++) this.#cards[slot] = undefined;
    this.#head[key] = start;
  }

  #move(from: number, to: number): void {
    this.#times[to] = this.#times[from]!;
    this.#amounts[to] = this.#amounts[from]!;
    this.#merchants[to] = this.#merchants[from]!;
    this.#countryDeclined[to] = this.#countryDeclined[from]!;
    this.#cards[to] = this.#cards[from];
  }

  #growSlots(capacity: number): void {
    this.#times = grownTo(this.#times, capacity);
    this.#amounts = grownTo(this.#amounts, capacity);
    this.#merchants = grownTo(this.#merchants, capacity);
    this.#countryDeclined = grownTo(this.#countryDeclined, capacity);
    while (this.#cards.length < capacity) this.#cards.push(undefined);
  }
}

export function packCountryDeclined(countryId: number, declined: boolean): number {
  return countryId * 2 + (declined ? 1 : 0);
}
