import type { SessionFeatures, Transaction } from '../../schemas/types';
import type { ByteReader, ByteWriter } from '../state/bytes';
import type { KeyRows } from '../state/key-rows';
import type { KeyedColumns, KeyedStateStore } from '../state/keyed-state';
import { IdSets } from './id-sets';
import type { Interner } from './interner';

/** A session's fields in its key's row. */
const STARTED_AT = 0;
const LAST_AT = 1;
const EVENTS = 2;
const SUM_MINOR = 3;

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
 * A session is four fields of its key's row (a key without a session has 0 events), with its
 * merchant and device ids in `IdSets`: a transaction updates numbers in place.
 */
export class SessionOperator {
  readonly #gapMs: number;
  readonly #merchants: Interner;
  readonly #devices: Interner;
  readonly retentionMs: number;
  readonly #rows: KeyRows;
  readonly #fields: number;
  readonly #merchantSets: IdSets;
  readonly #deviceSets: IdSets;

  constructor(store: KeyedStateStore, options: SessionOperatorOptions) {
    this.#gapMs = options.gapMs;
    this.#merchants = options.merchants;
    this.#devices = options.devices;
    this.retentionMs = options.gapMs + options.allowedLatenessMs;
    this.#rows = store.rows;
    this.#fields = store.rows.claim(4);
    this.#merchantSets = new IdSets(store.rows);
    this.#deviceSets = new IdSets(store.rows);
    store.registerColumns(this.#columns());
  }

  onTransaction(key: number, transaction: Transaction, eventTime: number, asOf: number): SessionFeatures {
    this.evict(key, asOf);
    const merchant = this.#merchants.id(transaction.merchantId);
    const device = transaction.deviceId === null ? -1 : this.#devices.id(transaction.deviceId);
    const row = this.#row(key);
    const fields = this.#rows.values;
    if (fields[row + EVENTS] === 0 || eventTime - fields[row + LAST_AT]! >= this.#gapMs) {
      this.#clear(key);
      fields[row + STARTED_AT] = eventTime;
      fields[row + LAST_AT] = eventTime;
    } else if (eventTime <= fields[row + STARTED_AT]! - this.#gapMs) {
      return { events: 1, sumMinor: transaction.amountMinor, distinctMerchants: 1, distinctDevices: device < 0 ? 0 : 1, startedAt: eventTime };
    }
    this.#merchantSets.add(key, merchant);
    if (device >= 0) this.#deviceSets.add(key, device);
    if (eventTime < fields[row + STARTED_AT]!) fields[row + STARTED_AT] = eventTime;
    if (eventTime > fields[row + LAST_AT]!) fields[row + LAST_AT] = eventTime;
    const events = ++fields[row + EVENTS]!;
    const sumMinor = (fields[row + SUM_MINOR]! += transaction.amountMinor);
    return {
      events,
      sumMinor,
      distinctMerchants: this.#merchantSets.size(key),
      distinctDevices: this.#deviceSets.size(key),
      startedAt: fields[row + STARTED_AT]!,
    };
  }

  evict(key: number, asOf: number): void {
    const row = this.#row(key);
    const fields = this.#rows.values;
    if (fields[row + EVENTS] !== 0 && fields[row + LAST_AT]! + this.retentionMs <= asOf) this.#clear(key);
  }

  #row(key: number): number {
    return key * this.#rows.width + this.#fields;
  }

  #clear(key: number): void {
    const row = this.#row(key);
    this.#rows.values[row + EVENTS] = 0;
    this.#rows.values[row + SUM_MINOR] = 0;
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
      grow: () => {},
      isEmpty: (key) => this.#rows.values[this.#row(key) + EVENTS] === 0,
      encode: (key, out) => {
        const row = this.#row(key);
        const fields = this.#rows.values;
        const startedAt = fields[row + STARTED_AT]!;
        out.varint(startedAt).uvarint(fields[row + LAST_AT]! - startedAt).uvarint(fields[row + EVENTS]!).varint(fields[row + SUM_MINOR]!);
        writeIds(this.#merchantSets.values(key), this.#merchants, out);
        writeIds(this.#deviceSets.values(key), this.#devices, out);
      },
      decode: (key, input) => {
        const row = this.#row(key);
        const fields = this.#rows.values;
        const startedAt = input.varint();
        fields[row + STARTED_AT] = startedAt;
        fields[row + LAST_AT] = startedAt + input.uvarint();
        fields[row + EVENTS] = input.uvarint();
        fields[row + SUM_MINOR] = input.varint();
        readIds(key, this.#merchantSets, this.#merchants, input);
        readIds(key, this.#deviceSets, this.#devices, input);
      },
      clear: (key) => this.#clear(key),
    };
  }
}
