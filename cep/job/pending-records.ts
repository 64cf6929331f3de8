import { grownTo } from '../state/block-allocator';
import { type ByteReader, type ByteWriter, corrupt } from '../state/bytes';
import type { KeyedColumns, KeyedStateStore } from '../state/keyed-state';
import { compareOffsets } from '../time/offsets';
import { TimingWheel } from '../time/timing-wheel';
import type { InputSpec, InputValue } from './types';

const NONE = -1;

/**
 * Accepted records waiting for the task watermark, as columns indexed by record slot (key id,
 * event time, release time, input rank, canonical offset, value), released in the deterministic
 * processing order: release time (the event time, or for a late record the time it is decided
 * at), then the input's rank in the job (so that, at equal time, a profile version is applied
 * before the transaction that must see it), then offset. Partition needs no place in
 * the order: a task's records all come from its one partition number. Columns rather than an
 * object per record: the records of the out-of-orderness bound live just long enough to be
 * promoted by the garbage collector, and then cost a full collection to free.
 *
 * Pending records are part of their key's state (the `pending` slot), so a changelog taken before
 * the watermark released them still holds them (the offsets committed with it are past them),
 * and a key holding some is never deleted: a record's key id still names its key on release.
 * Each key's records form a list in arrival order. Values are written as JSON: they are
 * transient, decoded records of any input kind, and JSON keeps this codec independent of the
 * record schemas.
 */
export class PendingRecords implements KeyedColumns {
  readonly name = 'pending';
  /** 2 added each record's release time; records of version 1 are released at their event time. */
  readonly version = 2;
  readonly #store: KeyedStateStore;
  readonly #inputs: readonly InputSpec[];
  readonly #order = new TimingWheel((a, b) => this.#rank[a]! < this.#rank[b]! || (this.#rank[a] === this.#rank[b] && compareOffsets(this.#offsets[a]!, this.#offsets[b]!) < 0));
  #key = new Int32Array(0);
  #eventTime = new Float64Array(0);
  /** When the record is released: its event time, or for a late record the time it is decided at. */
  #releaseAt = new Float64Array(0);
  /** 1 for a record that broke its partition's out-of-orderness bound. */
  #late = new Uint8Array(0);
  #rank = new Int32Array(0);
  #offsets: string[] = [];
  #values: unknown[] = [];
  /** Neighbours in the key's list of records. */
  #next = new Int32Array(0);
  #previous = new Int32Array(0);
  #freeSlots: number[] = [];
  /** Offset of the key's fields in the store's rows: the first and the last record of its list, NONE when it has none. */
  readonly #fields: number;
  /** Key ids the rows have room for, with their fields set. */
  #capacity = 0;

  constructor(store: KeyedStateStore, inputs: readonly InputSpec[]) {
    this.#store = store;
    this.#inputs = inputs;
    this.#fields = store.rows.ints.claim(2);
    store.registerColumns(this);
  }

  /** Records held and not yet released. */
  get size(): number {
    return this.#order.size;
  }

  /** Holds a record until the watermark reaches `releaseAt`: its event time, or for a late record the time it is decided at. */
  hold(key: number, rank: number, offset: string, eventTime: number, value: unknown, releaseAt = eventTime, late = false): void {
    this.#order.push(this.#link(key, rank, offset, eventTime, value, releaseAt, late), releaseAt);
  }

  /** The slot of the next record in processing order if the watermark has reached it (releaseAt <= watermark), else NONE. */
  releaseNext(watermark: number): number {
    const slot = this.#order.popUpTo(watermark);
    if (slot !== NONE) this.#unlink(slot);
    return slot;
  }

  keyOf(slot: number): number {
    return this.#key[slot]!;
  }

  eventTimeOf(slot: number): number {
    return this.#eventTime[slot]!;
  }

  releaseAtOf(slot: number): number {
    return this.#releaseAt[slot]!;
  }

  isLate(slot: number): boolean {
    return this.#late[slot] === 1;
  }

  rankOf(slot: number): number {
    return this.#rank[slot]!;
  }

  offsetOf(slot: number): string {
    return this.#offsets[slot]!;
  }

  valueOf(slot: number): InputValue {
    return this.#values[slot] as InputValue;
  }

  /** Returns a released record's slot for reuse, once the record has been processed. */
  free(slot: number): void {
    this.#values[slot] = undefined;
    this.#offsets[slot] = '';
    this.#freeSlots.push(slot);
  }

  /** The latest release time among the records held; -Infinity when there are none. Scans them all. */
  latestReleaseAt(): number {
    let latest = -Infinity;
    for (let slot = 0; slot < this.#values.length; slot++) {
      if (this.#values[slot] !== undefined && this.#releaseAt[slot]! > latest) latest = this.#releaseAt[slot]!;
    }
    return latest;
  }

  /** Orders the records of restored keys for release: `decode` only puts them in their key's list. */
  rebuildOrder(): void {
    this.#order.clear();
    for (const key of this.#store.ids()) {
      for (let slot = this.#first(key); slot !== NONE; slot = this.#next[slot]!) this.#order.push(slot, this.#releaseAt[slot]!);
    }
  }

  grow(capacity: number): void {
    for (let key = this.#capacity; key < capacity; key++) this.#setEnds(key, NONE, NONE);
    this.#capacity = capacity;
  }

  isEmpty(key: number): boolean {
    return this.#first(key) === NONE;
  }

  encode(key: number, out: ByteWriter): void {
    const slots: number[] = [];
    for (let slot = this.#first(key); slot !== NONE; slot = this.#next[slot]!) slots.push(slot);
    out.uvarint(slots.length);
    const keyText = this.#store.keyOf(key);
    for (const slot of slots) {
      out.string(keyText).string(this.#inputs[this.#rank[slot]!]!.topic).string(this.#offsets[slot]!).varint(this.#eventTime[slot]!);
      out.string(JSON.stringify(this.#values[slot]));
      out.uvarint(this.#releaseAt[slot]! - this.#eventTime[slot]!).bool(this.#late[slot] === 1);
    }
  }

  decode(key: number, input: ByteReader, version: number): void {
    for (let count = input.uvarint(); count > 0; count--) {
      input.string(); // the record's key, which is the state's key
      const topic = input.string();
      const offset = input.string();
      const eventTime = input.varint();
      const value = JSON.parse(input.string()) as unknown;
      const releaseAt = version >= 2 ? eventTime + input.uvarint() : eventTime;
      const late = version >= 2 && input.bool();
      const rank = this.#inputs.findIndex((spec) => spec.topic === topic);
      if (rank < 0) throw corrupt(`pending record of topic "${topic}", which is not an input of the job`);
      this.#link(key, rank, offset, eventTime, value, releaseAt, late);
    }
  }

  /** Frees the key's records. Only a restore clears a key with pending records, and it rebuilds the order afterwards. */
  clear(key: number): void {
    for (let slot = this.#first(key); slot !== NONE; slot = this.#next[slot]!) this.free(slot);
    this.#setEnds(key, NONE, NONE);
  }

  /** Stores a record in a free slot at the end of its key's list. */
  #link(key: number, rank: number, offset: string, eventTime: number, value: unknown, releaseAt: number, late: boolean): number {
    const slot = this.#freeSlots.pop() ?? this.#newSlot();
    this.#key[slot] = key;
    this.#eventTime[slot] = eventTime;
    this.#releaseAt[slot] = releaseAt;
    this.#late[slot] = late ? 1 : 0;
    this.#rank[slot] = rank;
    this.#offsets[slot] = offset;
    this.#values[slot] = value;
    const last = this.#last(key);
    this.#previous[slot] = last;
    this.#next[slot] = NONE;
    if (last === NONE) this.#setEnds(key, slot, slot);
    else {
      this.#next[last] = slot;
      this.#setEnds(key, this.#first(key), slot);
    }
    return slot;
  }

  #unlink(slot: number): void {
    const key = this.#key[slot]!;
    const previous = this.#previous[slot]!;
    const next = this.#next[slot]!;
    if (previous !== NONE) this.#next[previous] = next;
    if (next !== NONE) this.#previous[next] = previous;
    this.#setEnds(key, previous === NONE ? next : this.#first(key), next === NONE ? previous : this.#last(key));
  }

  #first(key: number): number {
    return this.#store.rows.ints.values[key * this.#store.rows.ints.width + this.#fields]!;
  }

  #last(key: number): number {
    return this.#store.rows.ints.values[key * this.#store.rows.ints.width + this.#fields + 1]!;
  }

  #setEnds(key: number, first: number, last: number): void {
    const row = key * this.#store.rows.ints.width + this.#fields;
    this.#store.rows.ints.values[row] = first;
    this.#store.rows.ints.values[row + 1] = last;
  }

  #newSlot(): number {
    const slot = this.#offsets.length;
    if (slot === this.#key.length) {
      const capacity = Math.max(1_024, slot * 2);
      this.#key = grownTo(this.#key, capacity);
      this.#eventTime = grownTo(this.#eventTime, capacity);
      this.#releaseAt = grownTo(this.#releaseAt, capacity);
      this.#late = grownTo(this.#late, capacity);
      this.#rank = grownTo(this.#rank, capacity);
      this.#next = grownTo(this.#next, capacity);
      this.#previous = grownTo(this.#previous, capacity);
    }
    this.#offsets.push('');
    this.#values.push(undefined);
    return slot;
  }
}
