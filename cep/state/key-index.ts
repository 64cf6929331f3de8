const EMPTY = -1;
const MIN_CAPACITY = 1_024;

/** A slot's fields: the key's hash, its id (EMPTY when free), its length, then its first code units. */
const HASH = 0;
const ID = 1;
const LENGTH = 2;
const UNITS = 3;
/** Eight integers, 32 bytes: two slots share a cache line. */
const STRIDE = 8;
/** UTF-16 code units held in a slot, two per integer. */
const INLINE_UNITS = (STRIDE - UNITS) * 2;

/** FNV-1a over the key's UTF-16 code units, as the signed integer a slot stores (also for the empty key, which no multiply truncates). */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < key.length; at++) hash = Math.imul(hash ^ key.charCodeAt(at), 0x01000193);
  return hash | 0;
}

/** Code units `at` and `at + 1` of the key as one integer (0 past its end). */
function unitPair(key: string, at: number): number {
  return key.charCodeAt(at) | (at + 1 < key.length ? key.charCodeAt(at + 1) << 16 : 0);
}

/**
 * Finds the id of a key string: an open-addressing table (linear probing, at most half full)
 * in one Int32Array whose slots hold each key's hash, id, length and first ten code units. A
 * lookup of a key of up to ten units reads one slot and nothing else: confirming a match against
 * the key's string would cost two more cache misses (where the caller keeps the key, then the
 * string), and with 100,000 keys those misses are most of what a lookup costs. Longer keys are
 * confirmed against `keyOf(id)` once their first units match.
 */
export class KeyIndex {
  /** The key of an id, kept by the caller; read to confirm a long key. */
  readonly #keyOf: (id: number) => string | undefined;
  #slots = KeyIndex.#emptySlots(MIN_CAPACITY);
  #mask = MIN_CAPACITY - 1;
  #size = 0;

  constructor(keyOf: (id: number) => string | undefined) {
    this.#keyOf = keyOf;
  }

  /** The key's id, EMPTY when it has none. */
  find(key: string): number {
    const hash = hashOf(key);
    const slots = this.#slots;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const at = slot * STRIDE;
      const id = slots[at + ID]!;
      if (id === EMPTY || (slots[at + HASH] === hash && this.#holds(at, key))) return id;
    }
  }

  /** Adds a key that has no id yet; `keyOf(id)` must already be `key`. */
  add(key: string, id: number): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) this.#rehash((this.#mask + 1) * 2);
    const hash = hashOf(key);
    const at = this.#free(hash) * STRIDE;
    const slots = this.#slots;
    slots[at + HASH] = hash;
    slots[at + ID] = id;
    slots[at + LENGTH] = key.length;
    for (let unit = 0; unit < Math.min(key.length, INLINE_UNITS); unit += 2) slots[at + UNITS + unit / 2] = unitPair(key, unit);
    this.#size++;
  }

  /** Removes a key that has an id; `keyOf(id)` must still be `key`. */
  remove(key: string): void {
    const slots = this.#slots;
    const mask = this.#mask;
    const hash = hashOf(key);
    let slot = hash & mask;
    while (slots[slot * STRIDE + HASH] !== hash || !this.#holds(slot * STRIDE, key)) slot = (slot + 1) & mask;
    // Backward-shift deletion: move up each later entry of the probe run that may use the hole, so
    // that no search stops early at it.
    for (let next = (slot + 1) & mask; slots[next * STRIDE + ID] !== EMPTY; next = (next + 1) & mask) {
      const home = slots[next * STRIDE + HASH]! & mask;
      if (((next - home) & mask) >= ((next - slot) & mask)) {
        slots.copyWithin(slot * STRIDE, next * STRIDE, (next + 1) * STRIDE);
        slot = next;
      }
    }
    slots[slot * STRIDE + ID] = EMPTY;
    this.#size--;
  }

  clear(): void {
    this.#slots = KeyIndex.#emptySlots(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
    this.#size = 0;
  }

  /** Whether the used slot at `at` is the key's. */
  #holds(at: number, key: string): boolean {
    const slots = this.#slots;
    if (slots[at + LENGTH] !== key.length) return false;
    for (let unit = 0; unit < Math.min(key.length, INLINE_UNITS); unit += 2) {
      if (slots[at + UNITS + unit / 2] !== unitPair(key, unit)) return false;
    }
    return key.length <= INLINE_UNITS || this.#keyOf(slots[at + ID]!) === key;
  }

  /** The first free slot of the probe run of `hash`. */
  #free(hash: number): number {
    let slot = hash & this.#mask;
    while (this.#slots[slot * STRIDE + ID] !== EMPTY) slot = (slot + 1) & this.#mask;
    return slot;
  }

  #rehash(capacity: number): void {
    const old = this.#slots;
    this.#slots = KeyIndex.#emptySlots(capacity);
    this.#mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      if (old[at + ID] !== EMPTY) this.#slots.set(old.subarray(at, at + STRIDE), this.#free(old[at + HASH]!) * STRIDE);
    }
  }

  static #emptySlots(capacity: number): Int32Array {
    const slots = new Int32Array(capacity * STRIDE);
    for (let at = ID; at < slots.length; at += STRIDE) slots[at] = EMPTY;
    return slots;
  }
}
