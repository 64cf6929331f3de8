import { BlockAllocator, grownTo } from '../state/block-allocator';
import type { KeyRows, RowFields } from '../state/key-rows';

/** Blocks start at two events: most keys hold one or two transactions of the look-back. */
const MIN_SIZE_CLASS = 1;

/**
 * Numbers per event in the event array: time, amountMinor, interned merchant, `countryId * 2 +
 * declined`, and the hashes of its transaction id and body (see fingerprint.ts).
 */
export const EVENT_WIDTH = 6;
export const AMOUNT = 1;
export const MERCHANT = 2;
export const COUNTRY_DECLINED = 3;
export const ID_HASH = 4;
export const BODY_HASH = 5;

/** An event's numbers after its time, as `insert` takes them. */
export interface EventNumbers {
  amountMinor: number;
  merchant: number;
  countryDeclined: number;
  idHash: number;
  bodyHash: number;
}

/** A key's fields in the store's rows. */
const START = 0;
const SIZE_CLASS = 1;
const HEAD = 2;
const COUNT = 3;

/**
 * Every key's recent transactions, oldest first. An event is a slot: its numbers are
 * `EVENT_WIDTH` adjacent elements of one Float64Array, its card id an element of a string array.
 * A key's events sit in one block of slots from a shared allocator, from its `head` on, and the
 * block's place and the key's count are fields of its row: eviction moves the head, and an
 * insert that finds no room at the block's end compacts the block or moves the events to one
 * twice the size. So an event costs no allocation, and a key's state is a few adjacent numbers.
 *
 * A card belongs to one account, so the account's events include every event of its cards; the
 * card features are the account's scan restricted to one card id (see VelocityCalculator).
 */
export class RecentEvents {
  #events = new Float64Array(0);
  /** Card id of each slot; an event reuses the string of a neighbour with the same card, so a key retains one copy. */
  #cards: (string | undefined)[] = [];
  readonly #blocks = new BlockAllocator((capacity) => this.#growSlots(capacity));
  readonly #rows: RowFields<Int32Array>;
  readonly #fields: number;

  constructor(rows: KeyRows) {
    this.#rows = rows.ints;
    this.#fields = rows.ints.claim(4);
  }

  /** The events' numbers, slot `s` at `s * EVENT_WIDTH`; replaced when it grows, so read it per use. */
  get events(): Float64Array {
    return this.#events;
  }

  get cards(): readonly (string | undefined)[] {
    return this.#cards;
  }

  count(key: number): number {
    return this.#rows.values[this.#row(key) + COUNT]!;
  }

  /** Slot of the key's oldest event; its events are the `count` slots from there. */
  first(key: number): number {
    return this.#rows.values[this.#row(key) + HEAD]!;
  }

  /** Index (0 = oldest) of the first event later than `time`: where an event at `time` goes after its equals. */
  insertionIndex(key: number, time: number): number {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const head = fields[row + HEAD]!;
    const events = this.#events;
    let low = 0;
    let high = fields[row + COUNT]!;
    // Events mostly arrive in time order, so the answer is almost always the end.
    if (high === 0 || events[(head + high - 1) * EVENT_WIDTH]! <= time) return high;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (events[(head + mid) * EVENT_WIDTH]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Inserts an event at `index` (0 = oldest) of the key's events. */
  insert(key: number, index: number, time: number, numbers: EventNumbers, card: string): void {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const count = fields[row + COUNT]!;
    if (count === 0) {
      const start = this.#blocks.allocate(MIN_SIZE_CLASS);
      fields[row + START] = start;
      fields[row + SIZE_CLASS] = MIN_SIZE_CLASS;
      fields[row + HEAD] = start;
    } else if (fields[row + HEAD]! + count === fields[row + START]! + (1 << fields[row + SIZE_CLASS]!)) {
      this.#makeRoom(row, count);
    }
    const head = fields[row + HEAD]!;
    const at = head + index;
    const events = this.#events;
    const cards = this.#cards;
    // Events mostly come in time order: an append moves nothing, and skips the call into the runtime.
    if (at < head + count) {
      events.copyWithin((at + 1) * EVENT_WIDTH, at * EVENT_WIDTH, (head + count) * EVENT_WIDTH);
      for (let slot = head + count; slot > at; slot--) cards[slot] = cards[slot - 1];
    }
    const base = at * EVENT_WIDTH;
    events[base] = time;
    events[base + AMOUNT] = numbers.amountMinor;
    events[base + MERCHANT] = numbers.merchant;
    events[base + COUNTRY_DECLINED] = numbers.countryDeclined;
    events[base + ID_HASH] = numbers.idHash;
    events[base + BODY_HASH] = numbers.bodyHash;
    cards[at] = index > 0 && cards[at - 1] === card ? cards[at - 1] : index < count && cards[at + 1] === card ? cards[at + 1] : card;
    fields[row + COUNT] = count + 1;
  }

  /** The slot of the key's event with transaction id hash `idHash`, or -1 when it holds none. */
  slotOf(key: number, idHash: number): number {
    const events = this.#events;
    const first = this.first(key);
    for (let slot = first, end = first + this.count(key); slot < end; slot++) {
      if (events[slot * EVENT_WIDTH + ID_HASH] === idHash) return slot;
    }
    return -1;
  }

  /** Drops the key's events at or before `horizon` (they can no longer fall into any look-back); returns how many. */
  evictThrough(key: number, horizon: number): number {
    const row = this.#row(key);
    const fields = this.#rows.values;
    const head = fields[row + HEAD]!;
    const count = fields[row + COUNT]!;
    let drop = 0;
    while (drop < count && this.#events[(head + drop) * EVENT_WIDTH]! <= horizon) drop++;
    if (drop === 0) return 0;
    for (let slot = head; slot < head + drop; slot++) this.#cards[slot] = undefined;
    fields[row + HEAD] = head + drop;
    fields[row + COUNT] = count - drop;
    if (count === drop) this.#blocks.release(fields[row + START]!, fields[row + SIZE_CLASS]!);
    return drop;
  }

  clear(key: number): void {
    this.evictThrough(key, Infinity);
  }

  /** Sets the card of the key's event `index`, for a restore that learns cards after events. */
  setCard(key: number, index: number, card: string): void {
    this.#cards[this.first(key) + index] = card;
  }

  #row(key: number): number {
    return key * this.#rows.width + this.#fields;
  }

  /** Room for one more event at the block's end: compacted to the block's start, or moved to a block twice the size. */
  #makeRoom(row: number, count: number): void {
    const fields = this.#rows.values;
    const head = fields[row + HEAD]!;
    let start = fields[row + START]!;
    // Slots from `vacated` on no longer hold the key's events once they are moved.
    let vacated = start + count;
    if (head === start) {
      const sizeClass = fields[row + SIZE_CLASS]!;
      start = this.#blocks.allocate(sizeClass + 1);
      this.#blocks.release(head, sizeClass);
      fields[row + START] = start;
      fields[row + SIZE_CLASS] = sizeClass + 1;
      vacated = head;
    }
    this.#events.copyWithin(start * EVENT_WIDTH, head * EVENT_WIDTH, (head + count) * EVENT_WIDTH);
    for (let index = 0; index < count; index++) this.#cards[start + index] = this.#cards[head + index];
    for (let slot = vacated; slot < head + count; slot++) this.#cards[slot] = undefined;
    fields[row + HEAD] = start;
  }

  #growSlots(capacity: number): void {
    this.#events = grownTo(this.#events, capacity * EVENT_WIDTH);
    while (this.#cards.length < capacity) this.#cards.push(undefined);
  }
}

export function packCountryDeclined(countryId: number, declined: boolean): number {
  return countryId * 2 + (declined ? 1 : 0);
}
