import { CepError, CepErrorCode } from '../errors';
import { grownTo } from './block-allocator';
import { ByteReader, ByteWriter, corrupt } from './bytes';
import { KeyIndex } from './key-index';
import { KeyRows, type RowFields } from './key-rows';

/** Encodes one slot's state of one key. `version` is written with the bytes and handed back to decode. */
export interface StateCodec<S> {
  readonly version: number;
  encode(state: S, out: ByteWriter): void;
  decode(input: ByteReader, version: number): S;
}

/** A named piece of per-key state an operator owns as one value per key, with its codec. */
export interface StateSlotSpec<S> {
  /** Stable name written into snapshots; renaming a slot orphans its stored state. */
  readonly name: string;
  readonly codec: StateCodec<S>;
  /** Empty state is not stored: a key whose slots are all empty is deleted (a changelog tombstone). */
  isEmpty(state: S): boolean;
}

/**
 * Per-key state an operator keeps in its own columns (typed arrays indexed by key id, or fields
 * of the store's `rows`) rather than as a value per key: state read and rewritten on every event
 * then costs no allocation and no pointer chase. The store sizes the columns, asks whether a
 * key's part is empty, and frames its bytes in the key's snapshot under `name` and `version`.
 */
export interface KeyedColumns {
  readonly name: string;
  readonly version: number;
  /** Makes room for key ids below `capacity`; called before any id that large is handed out. */
  grow(capacity: number): void;
  isEmpty(id: number): boolean;
  encode(id: number, out: ByteWriter): void;
  /** Fills the (empty) state of key `id` from bytes written by `encode` under `version`. */
  decode(id: number, input: ByteReader, version: number): void;
  /** Empties the key's state: its id is about to be freed or its state replaced. */
  clear(id: number): void;
}

/**
 * One value per key id, a field of the key's reference row: the store's columns for a
 * `StateSlotSpec`, read and written through it.
 */
export class StateSlot<S> implements KeyedColumns {
  readonly spec: StateSlotSpec<S>;
  readonly #rows: RowFields<unknown[]>;
  readonly #field: number;

  constructor(spec: StateSlotSpec<S>, rows: RowFields<unknown[]>) {
    this.spec = spec;
    this.#rows = rows;
    this.#field = rows.claim(1);
  }

  get name(): string {
    return this.spec.name;
  }

  get version(): number {
    return this.spec.codec.version;
  }

  get(id: number): S | undefined {
    return this.#rows.values[id * this.#rows.width + this.#field] as S | undefined;
  }

  /** Replaces the key's value (undefined empties it). The owner reports the change with `touch`. */
  set(id: number, value: S | undefined): void {
    this.#rows.values[id * this.#rows.width + this.#field] = value;
  }

  /** Nothing to do: the field is part of the reference rows, which the store grows. */
  grow(): void {}

  isEmpty(id: number): boolean {
    const value = this.get(id);
    return value === undefined || this.spec.isEmpty(value);
  }

  encode(id: number, out: ByteWriter): void {
    this.spec.codec.encode(this.get(id)!, out);
  }

  decode(id: number, input: ByteReader, version: number): void {
    this.set(id, this.spec.codec.decode(input, version));
  }

  clear(id: number): void {
    this.set(id, undefined);
  }
}

/** A key's state as bytes for the changelog; null is a tombstone (the key has no state any more). */
export interface ChangelogRecord {
  readonly key: string;
  readonly value: Uint8Array | null;
}

/** Bumped when the framing of a key snapshot (not a slot's own encoding) changes. */
const KEY_SNAPSHOT_FORMAT = 1;

const INITIAL_CAPACITY = 1_024;

/**
 * Keyed state of one task with change tracking. Each live key has a small integer id, reused
 * after the key is deleted, and every piece of state is indexed by it (a column, or fields of
 * the key's row in `rows`): no object per key, so 100,000 keys cost the garbage collector a few
 * arrays instead of 100,000 objects to mark, and an event finds its key's state by index.
 * Operators register their columns up front, change a key's state, then report it with `touch`
 * so that the next changelog carries it. Keys whose columns are all empty are deleted at the next `deleteIfEmpty` or changelog, and
 * reported as tombstones.
 */
export class KeyedStateStore {
  /** Fields of each key, for operators that keep a key's state as a few numbers or references. */
  readonly rows = new KeyRows();
  readonly #columns: KeyedColumns[] = [];
  /** Where each id's key is in the reference rows; undefined for a free id. */
  readonly #keyField = this.rows.refs.claim(1);
  /** Ids handed out so far, free ones included. */
  #ids = 0;
  /** Id of each live key. */
  readonly #index = new KeyIndex((id) => this.#keyAt(id));
  /** When each id's key was created, counted in creations: live keys are listed in creation order. */
  #createdAt = new Float64Array(0);
  #creations = 0;
  #size = 0;
  readonly #freeIds: number[] = [];
  #capacity = 0;
  /** 1 for an id changed since the last commit: a flag rather than a set lookup, as it is checked per event. */
  #dirty = new Uint8Array(0);
  /** Keys changed (or deleted) since the last commit; may repeat a key deleted and re-created. */
  #changed: string[] = [];
  /** Scratch writers for `encode`, grown once and reused for every key. */
  readonly #snapshot = new ByteWriter();
  readonly #slot = new ByteWriter();

  constructor() {
    this.#grow(INITIAL_CAPACITY);
  }

  /** Registers a slot of one value per key. */
  register<S>(spec: StateSlotSpec<S>): StateSlot<S> {
    const slot = new StateSlot(spec, this.rows.refs);
    this.registerColumns(slot);
    return slot;
  }

  registerColumns(columns: KeyedColumns): void {
    if (this.#columns.some((registered) => registered.name === columns.name)) {
      throw new CepError(CepErrorCode.InvalidJobConfig, `state slot "${columns.name}" is registered twice`);
    }
    columns.grow(this.#capacity);
    this.#columns.push(columns);
  }

  get size(): number {
    return this.#size;
  }

  /** The key's id, undefined when the key has no state. */
  find(key: string): number | undefined {
    const id = this.#index.find(key);
    return id < 0 ? undefined : id;
  }

  /** True while `id` is the id of a key (ids of deleted keys are free until reused). */
  has(id: number): boolean {
    return this.#keyAt(id) !== undefined;
  }

  /** The key of a live id. */
  keyOf(id: number): string {
    return this.#keyAt(id)!;
  }

  /** The key's id, created with empty state if absent. Creating does not mark the key changed. */
  open(key: string): number {
    const id = this.#index.find(key);
    return id < 0 ? this.#create(key) : id;
  }

  /** Reports a change of the key's state. */
  touch(id: number): void {
    if (this.#dirty[id] === 1) return;
    this.#dirty[id] = 1;
    this.#changed.push(this.#keyAt(id)!);
  }

  /** Removes the key if it holds no state; the removal reaches the changelog as a tombstone. */
  deleteIfEmpty(id: number): boolean {
    const key = this.#keyAt(id);
    if (key === undefined || !this.#isEmpty(id)) return false;
    this.#delete(id, key);
    this.#changed.push(key);
    return true;
  }

  dirtyKeys(): string[] {
    return [...new Set(this.#changed)];
  }

  markCommitted(): void {
    for (const key of this.#changed) {
      const id = this.find(key);
      if (id !== undefined) this.#dirty[id] = 0;
    }
    this.#changed = [];
  }

  /** The live keys, in key creation order. */
  keys(): string[] {
    return this.ids().map((id) => this.#keyAt(id)!);
  }

  /** Ids of the live keys, in key creation order. */
  ids(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.#ids; id++) if (this.#keyAt(id) !== undefined) ids.push(id);
    return ids.sort((a, b) => this.#createdAt[a]! - this.#createdAt[b]!);
  }

  /** Changed keys since the last commit as changelog records (tombstones for deleted keys), then commits. */
  changelog(): ChangelogRecord[] {
    const records: ChangelogRecord[] = [];
    for (const key of this.dirtyKeys()) {
      const id = this.find(key);
      if (id !== undefined) this.deleteIfEmpty(id);
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
    const id = this.find(key);
    if (id === undefined || this.#isEmpty(id)) return null;
    const present = this.#columns.filter((columns) => !columns.isEmpty(id));
    const out = this.#snapshot.reset().uint8(KEY_SNAPSHOT_FORMAT).uvarint(present.length);
    for (const columns of present) {
      const payload = this.#slot.reset();
      columns.encode(id, payload);
      out.string(columns.name).uvarint(columns.version).bytes(payload.written());
    }
    return out.finish();
  }

  /** Replaces the key's state with a snapshot from `encode`; null (a tombstone) deletes the key. */
  restore(key: string, bytes: Uint8Array | null): void {
    const existing = this.find(key);
    if (existing !== undefined) this.#delete(existing, key);
    if (bytes === null) return;
    const input = new ByteReader(bytes);
    const format = input.uint8();
    if (format !== KEY_SNAPSHOT_FORMAT) throw corrupt(`unknown key snapshot format ${format} for key "${key}"`);
    const id = this.#create(key);
    try {
      for (let count = input.uvarint(); count > 0; count--) {
        const name = input.string();
        const version = input.uvarint();
        const payload = new ByteReader(input.bytes());
        const columns = this.#columns.find((registered) => registered.name === name);
        // A slot the job no longer registers: its state has no owner, so it is left behind.
        if (columns === undefined) continue;
        columns.decode(id, payload, version);
        payload.end();
      }
      input.end();
    } catch (error) {
      this.#delete(id, key);
      throw error;
    }
  }

  clear(): void {
    for (const id of this.ids()) this.#delete(id, this.#keyAt(id)!);
    this.#changed = [];
  }

  #create(key: string): number {
    let id = this.#freeIds.pop();
    if (id === undefined) {
      id = this.#ids++;
      if (id === this.#capacity) this.#grow(this.#capacity * 2);
    }
    this.#setKey(id, key);
    this.#index.add(key, id);
    this.#createdAt[id] = this.#creations++;
    this.#size++;
    return id;
  }

  #delete(id: number, key: string): void {
    for (const columns of this.#columns) columns.clear(id);
    this.#index.remove(key);
    this.#size--;
    this.#setKey(id, undefined);
    this.#dirty[id] = 0;
    this.#freeIds.push(id);
  }

  #grow(capacity: number): void {
    const dirty = new Uint8Array(capacity);
    dirty.set(this.#dirty);
    this.#dirty = dirty;
    this.#createdAt = grownTo(this.#createdAt, capacity);
    this.#capacity = capacity;
    this.rows.grow(capacity);
    for (const columns of this.#columns) columns.grow(capacity);
  }

  #keyAt(id: number): string | undefined {
    const refs = this.rows.refs;
    return refs.values[id * refs.width + this.#keyField] as string | undefined;
  }

  #setKey(id: number, key: string | undefined): void {
    const refs = this.rows.refs;
    refs.values[id * refs.width + this.#keyField] = key;
  }

  #isEmpty(id: number): boolean {
    return this.#columns.every((columns) => columns.isEmpty(id));
  }
}
