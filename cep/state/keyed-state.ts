import { CepError, CepErrorCode } from '../errors';
import { ByteReader, ByteWriter, corrupt } from './bytes';

/** Encodes one slot's state of one key. `version` is written with the bytes and handed back to decode. */
export interface StateCodec<S> {
  readonly version: number;
  encode(state: S, out: ByteWriter): void;
  decode(input: ByteReader, version: number): S;
}

/** A named piece of per-key state an operator owns, with its codec. */
export interface StateSlotSpec<S> {
  /** Stable name written into snapshots; renaming a slot orphans its stored state. */
  readonly name: string;
  readonly codec: StateCodec<S>;
  /** Empty state is not stored: a key whose slots are all empty is deleted (a changelog tombstone). */
  isEmpty(state: S): boolean;
}

/** The handle `register` returns; reading and writing a slot goes through it. */
export interface StateSlot<S> {
  readonly index: number;
  readonly spec: StateSlotSpec<S>;
}

/** Slots a key holds in its own fields; a job registering more keeps the rest in an overflow array. */
const INLINE_SLOTS = 8;

/**
 * All state of one key: one value per registered slot, undefined when the slot is empty.
 *
 * The first slots are fields of this object rather than elements of an array: a key's state is
 * read several times per event from a random place in a large heap, and every extra object on
 * that path is another cache miss (and ~50 bytes of array headers per key).
 */
export class KeyState {
  readonly key: string;
  /** Changed since the last commit; a flag rather than a set lookup, as it is checked per event. */
  dirty = false;
  /** When the key's expiring state is certainly gone; NaN while not in an ExpirySchedule. */
  expiresAt = Number.NaN;
  #s0: unknown = undefined;
  #s1: unknown = undefined;
  #s2: unknown = undefined;
  #s3: unknown = undefined;
  #s4: unknown = undefined;
  #s5: unknown = undefined;
  #s6: unknown = undefined;
  #s7: unknown = undefined;
  #overflow: unknown[] | undefined;

  constructor(key: string) {
    this.key = key;
  }

  get<S>(slot: StateSlot<S>): S | undefined {
    return this.valueAt(slot.index) as S | undefined;
  }

  /** Replaces a slot's value (undefined empties it). The owner reports the change with `touch`. */
  set<S>(slot: StateSlot<S>, value: S | undefined): void {
    this.setValueAt(slot.index, value);
  }

  valueAt(index: number): unknown {
    switch (index) {
      case 0: return this.#s0;
      case 1: return this.#s1;
      case 2: return this.#s2;
      case 3: return this.#s3;
      case 4: return this.#s4;
      case 5: return this.#s5;
      case 6: return this.#s6;
      case 7: return this.#s7;
      default: return this.#overflow?.[index - INLINE_SLOTS];
    }
  }

  setValueAt(index: number, value: unknown): void {
    switch (index) {
      case 0: this.#s0 = value; return;
      case 1: this.#s1 = value; return;
      case 2: this.#s2 = value; return;
      case 3: this.#s3 = value; return;
      case 4: this.#s4 = value; return;
      case 5: this.#s5 = value; return;
      case 6: this.#s6 = value; return;
      case 7: this.#s7 = value; return;
      default: (this.#overflow ??= [])[index - INLINE_SLOTS] = value;
    }
  }
}

/** A key's state as bytes for the changelog; null is a tombstone (the key has no state any more). */
export interface ChangelogRecord {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** Bumped when the framing of a key snapshot (not a slot's own encoding) changes. */
const KEY_SNAPSHOT_FORMAT = 1;

/**
 * Keyed state of one task with change tracking. Operators register slots up front, read a key's
 * `KeyState` and change its slot values, then report the state with `touch` so that the
 * next changelog carries it. Keys whose slots are all empty are deleted at the next
 * `deleteIfEmpty` or changelog, and reported as tombstones.
 */
export class KeyedStateStore {
  readonly #slots: StateSlotSpec<unknown>[] = [];
  readonly #states = new Map<string, KeyState>();
  /** Keys changed (or deleted) since the last commit; may repeat a key deleted and re-created. */
  #dirty: string[] = [];

  register<S>(spec: StateSlotSpec<S>): StateSlot<S> {
    if (this.#slots.some((slot) => slot.name === spec.name)) {
      throw new CepError(CepErrorCode.InvalidJobConfig, `state slot "${spec.name}" is registered twice`);
    }
    this.#slots.push(spec as StateSlotSpec<unknown>);
    return { index: this.#slots.length - 1, spec };
  }

  get size(): number {
    return this.#states.size;
  }

  find(key: string): KeyState | undefined {
    return this.#states.get(key);
  }

  /** The key's state, created empty if absent. Creating does not mark the key changed. */
  open(key: string): KeyState {
    let state = this.#states.get(key);
    if (state === undefined) {
      state = new KeyState(key);
      this.#states.set(key, state);
    }
    return state;
  }

  /** Reports a change of the key's state. */
  touch(state: KeyState): void {
    if (state.dirty) return;
    state.dirty = true;
    this.#dirty.push(state.key);
  }

  /** Removes the key if it holds no state; the removal reaches the changelog as a tombstone. */
  deleteIfEmpty(key: string): boolean {
    const state = this.#states.get(key);
    if (state === undefined || !this.#isEmpty(state)) return false;
    this.#states.delete(key);
    this.#dirty.push(key);
    return true;
  }

  dirtyKeys(): string[] {
    return [...new Set(this.#dirty)];
  }

  markCommitted(): void {
    for (const key of this.#dirty) {
      const state = this.#states.get(key);
      if (state !== undefined) state.dirty = false;
    }
    this.#dirty = [];
  }

  keys(): IterableIterator<string> {
    return this.#states.keys();
  }

  /** Changed keys since the last commit as changelog records (tombstones for deleted keys), then commits. */
  changelog(): ChangelogRecord[] {
    const records: ChangelogRecord[] = [];
    for (const key of this.dirtyKeys()) {
      this.deleteIfEmpty(key);
      records.push({ key, value: this.encode(key) });
    }
    this.markCommitted();
    return records;
  }

  /**
   * The key's snapshot: format version, then each non-empty slot as (name, codec version,
   * length-prefixed bytes) so that a reader can skip slots it no longer has. Null when empty.
   */
  encode(key: string): Uint8Array | null {
    const state = this.#states.get(key);
    if (state === undefined || this.#isEmpty(state)) return null;
    const out = new ByteWriter().uint8(KEY_SNAPSHOT_FORMAT);
    const present = this.#slots.filter((spec, index) => !isSlotEmpty(spec, state.valueAt(index)));
    out.uvarint(present.length);
    this.#slots.forEach((spec, index) => {
      const value = state.valueAt(index);
      if (isSlotEmpty(spec, value)) return;
      const payload = new ByteWriter();
      spec.codec.encode(value, payload);
      out.string(spec.name).uvarint(spec.codec.version).bytes(payload.finish());
    });
    return out.finish();
  }

  /** Replaces the key's state with a snapshot from `encode`; null (a tombstone) deletes the key. */
  restore(key: string, bytes: Uint8Array | null): void {
    this.#states.delete(key);
    if (bytes === null) return;
    const input = new ByteReader(bytes);
    const format = input.uint8();
    if (format !== KEY_SNAPSHOT_FORMAT) throw corrupt(`unknown key snapshot format ${format} for key "${key}"`);
    const state = new KeyState(key);
    for (let count = input.uvarint(); count > 0; count--) {
      const name = input.string();
      const version = input.uvarint();
      const payload = new ByteReader(input.bytes());
      const index = this.#slots.findIndex((spec) => spec.name === name);
      // A slot the job no longer registers: its state has no owner, so it is left behind.
      if (index < 0) continue;
      state.setValueAt(index, this.#slots[index]!.codec.decode(payload, version));
      payload.end();
    }
    input.end();
    this.#states.set(key, state);
  }

  clear(): void {
    this.#states.clear();
    this.#dirty = [];
  }

  #isEmpty(state: KeyState): boolean {
    return this.#slots.every((spec, index) => isSlotEmpty(spec, state.valueAt(index)));
  }
}

function isSlotEmpty(spec: StateSlotSpec<unknown>, value: unknown): boolean {
  return value === undefined || spec.isEmpty(value);
}
