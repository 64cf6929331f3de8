import type { SessionFeatures, Transaction } from '../../schemas/types';
import { grownTo } from '../state/block-allocator';
import type { ByteReader, ByteWriter } from '../state/bytes';
import type { KeyedColumns, KeyedStateStore } from '../state/keyed-state';
import { IdSets } from './id-sets';
import type { Interner } from './interner';

export interface SessionOperatorOptions {
  readonly gapMs: number;
  readonly allowedLatenessMs: number;
  readonly merchants: Interner;
  readonly devices: Interner;
}

/**
 * Event-time session windows of an account's transactions: a session ends when the next
 * transaction comes `gapMs` or more after the session's last one. Only the current session is
 * kept. A late transaction joins it when it falls within the gap of its span, starts a new one
 * when it comes a gap or more after it, and is otherwise (it belongs to an earlier, closed
 * session) scored as a session of its own without changing state.
 *
 * A session expires at `lastAt + gapMs + allowedLatenessMs` of decision time (see
 * VelocityOperator for why expiry is judged against decision time, not eviction runs).
 *
 * Sessions are columns indexed by key id (a key without a session has 0 events), with their
 * merchant and device ids in `IdSets`: a transaction updates numbers in place.
 */
export class SessionOperator {
  readonly #gapMs: number;
  readonly #merchants: Interner;
  readonly #devices: Interner;
  readonly retentionMs: number;
  #startedAt = new Float64Array(0);
  #lastAt = new Float64Array(0);
  #events = new Float64Array(0);
  #sumMinor = new Float64Array(0);
  readonly #merchantSets = new IdSets();
  readonly #deviceSets = new IdSets();

  constructor(store: KeyedStateStore, options: SessionOperatorOptions) {
    this.#gapMs = options.gapMs;
    this.#merchants = options.merchants;
    this.#devices = options.devices;
    this.retentionMs = options.gapMs + options.allowedLatenessMs;
    store.registerColumns(this.#columns());
  }

  onTransaction(key: number, transaction: Transaction, eventTime: number, asOf: number): SessionFeatures {
    this.evict(key, asOf);
    const merchant = this.#merchants.id(transaction.merchantId);
    const device = transaction.deviceId === null ? -1 : this.#devices.id(transaction.deviceId);
    if (this.#events[key] === 0 || eventTime - this.#lastAt[key]! >= this.#gapMs) {
      this.#clear(key);
      this.#startedAt[key] = eventTime;
      this.#lastAt[key] = eventTime;
    } else if (eventTime <= this.#startedAt[key]! - this.#gapMs) {
      return { events: 1, sumMinor: transaction.amountMinor, distinctMerchants: 1, distinctDevices: device < 0 ? 0 : 1, startedAt: eventTime };
    }
    this.#merchantSets.add(key, merchant);
    if (device >= 0) this.#deviceSets.add(key, device);
    if (eventTime < this.#startedAt[key]!) this.#startedAt[key] = eventTime;
    if (eventTime > this.#lastAt[key]!) this.#lastAt[key] = eventTime;
    const events = ++this.#events[key]!;
    const sumMinor = (this.#sumMinor[key]! += transaction.amountMinor);
    return {
      events,
      sumMinor,
      distinctMerchants: this.#merchantSets.size(key),
      distinctDevices: this.#deviceSets.size(key),
      startedAt: this.#startedAt[key]!,
    };
  }

  evict(key: number, asOf: number): void {
    if (this.#events[key] !== 0 && this.#lastAt[key]! + this.retentionMs <= asOf) this.#clear(key);
  }

  #clear(key: number): void {
    this.#events[key] = 0;
    this.#sumMinor[key] = 0;
    this.#merchantSets.clear(key);
    this.#deviceSets.clear(key);
  }

  #columns(): KeyedColumns {
    const writeIds = (ids: number[], interner: Interner, out: ByteWriter): void => {
      out.uvarint(ids.length);
      for (const id of ids) out.string(interner.value(id));
    };
    const readIds = (key: number, sets: IdSets, interner: Interner, input: ByteReader): void => {
      for (let count = input.uvarint(); count > 0; count--) sets.add(key, interner.id(input.string()));
    };
    return {
      name: 'session',
      version: 1,
      grow: (capacity) => {
        this.#startedAt = grownTo(this.#startedAt, capacity);
        this.#lastAt = grownTo(this.#lastAt, capacity);
        this.#events = grownTo(this.#events, capacity);
        this.#sumMinor = grownTo(this.#sumMinor, capacity);
        this.#merchantSets.growKeys(capacity);
        this.#deviceSets.growKeys(capacity);
      },
      isEmpty: (key) => this.#events[key] === 0,
      encode: (key, out) => {
        const startedAt = this.#startedAt[key]!;
        out.varint(startedAt).uvarint(this.#lastAt[key]! - startedAt).uvarint(this.#events[key]!).varint(this.#sumMinor[key]!);
        writeIds(this.#merchantSets.values(key), this.#merchants, out);
        writeIds(this.#deviceSets.values(key), this.#devices, out);
      },
      decode: (key, input) => {
        const startedAt = input.varint();
        this.#startedAt[key] = startedAt;
        this.#lastAt[key] = startedAt + input.uvarint();
        this.#events[key] = input.uvarint();
        this.#sumMinor[key] = input.varint();
        readIds(key, this.#merchantSets, this.#merchants, input);
        readIds(key, this.#deviceSets, this.#devices, input);
      },
      clear: (key) => this.#clear(key),
    };
  }
}
