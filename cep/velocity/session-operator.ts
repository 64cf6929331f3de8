import type { SessionFeatures, Transaction } from '../../schemas/types';
import type { ByteWriter } from '../state/bytes';
import type { RowFields } from '../state/key-rows';
import type { KeyedColumns, KeyedStateStore } from '../state/keyed-state';
import { IdSets } from './id-sets';
import { StringSets } from './string-sets';
import type { Interner } from './interner';

/** A session's fields in its key's rows: times and sum, and its count of events. */
const STARTED_AT = 0;
const LAST_AT = 1;
const SUM_MINOR = 2;
const EVENTS = 0;

/** Construction options of a {@link SessionOperator}; durations in milliseconds of event time. */
export interface SessionOperatorOptions {
  /** Event time after a session's last transaction at which the next one starts a new session. */
  readonly gapMs: number;
  /** How far behind the watermark a late transaction still sees its exact session. */
  readonly allowedLatenessMs: number;
  /** Numbering of merchant ids; may be shared with the task's VelocityOperator. */
  readonly merchants: Interner;
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
 * A session is four fields of its key's rows (a key without a session has 0 events), with its
 * merchant ids in `IdSets` and its device ids in `StringSets`: a transaction updates them in place.
 */
export class SessionOperator {
  readonly #gapMs: number;
  readonly #merchants: Interner;
  readonly retentionMs: number;
  readonly #times: RowFields<Float64Array>;
  readonly #timesAt: number;
  /** Transactions in the key's session (0 when it has none). */
  readonly #counts: RowFields<Int32Array>;
  readonly #countAt: number;
  readonly #merchantSets: IdSets;
  /**
   * Device ids of each key's session, few per session: kept as the session's own strings rather
   * than interned, because device ids are as many as users and an interning table only grows.
   */
  readonly #deviceSets: StringSets;

  constructor(store: KeyedStateStore, options: SessionOperatorOptions) {
    this.#gapMs = options.gapMs;
    this.#merchants = options.merchants;
    this.retentionMs = options.gapMs + options.allowedLatenessMs;
    this.#times = store.rows.floats;
    this.#timesAt = store.rows.floats.claim(3);
    this.#counts = store.rows.ints;
    this.#countAt = store.rows.ints.claim(1);
    this.#merchantSets = new IdSets(store.rows);
    this.#deviceSets = new StringSets(store.rows);
    store.registerColumns(this.#columns());
  }

  onTransaction(key: number, transaction: Transaction, eventTime: number, asOf: number): SessionFeatures {
    this.evict(key, asOf);
    const merchant = this.#merchants.id(transaction.merchantId);
    const device = transaction.deviceId;
    const times = this.#times.values;
    const counts = this.#counts.values;
    const t = this.#timeRow(key);
    const c = this.#countRow(key);
    if (counts[c + EVENTS] === 0 || eventTime - times[t + LAST_AT]! >= this.#gapMs) {
      this.#clear(key);
      times[t + STARTED_AT] = eventTime;
      times[t + LAST_AT] = eventTime;
    } else if (eventTime <= times[t + STARTED_AT]! - this.#gapMs) {
      return { events: 1, sumMinor: transaction.amountMinor, distinctMerchants: 1, distinctDevices: device === null ? 0 : 1, startedAt: eventTime };
    }
    this.#merchantSets.add(key, merchant);
    if (device !== null) this.#deviceSets.add(key, device);
    if (eventTime < times[t + STARTED_AT]!) times[t + STARTED_AT] = eventTime;
    if (eventTime > times[t + LAST_AT]!) times[t + LAST_AT] = eventTime;
    const events = ++counts[c + EVENTS]!;
    const sumMinor = (times[t + SUM_MINOR]! += transaction.amountMinor);
    return {
      events,
      sumMinor,
      distinctMerchants: this.#merchantSets.size(key),
      distinctDevices: this.#deviceSets.size(key),
      startedAt: times[t + STARTED_AT]!,
    };
  }

  evict(key: number, asOf: number): void {
    if (this.#counts.values[this.#countRow(key)] !== 0 && this.#times.values[this.#timeRow(key) + LAST_AT]! + this.retentionMs <= asOf) this.#clear(key);
  }

  #timeRow(key: number): number {
    return key * this.#times.width + this.#timesAt;
  }

  /** Where the key's counts start in the rows; its event count is the first. */
  #countRow(key: number): number {
    return key * this.#counts.width + this.#countAt;
  }

  #clear(key: number): void {
    this.#counts.values[this.#countRow(key) + EVENTS] = 0;
    this.#times.values[this.#timeRow(key) + SUM_MINOR] = 0;
    this.#merchantSets.clear(key);
    this.#deviceSets.clear(key);
  }

  #columns(): KeyedColumns {
    const writeStrings = (values: readonly string[], out: ByteWriter): void => {
      out.uvarint(values.length);
      for (const value of values) out.string(value);
    };
    return {
      name: 'session',
      version: 1,
      grow: () => {},
      isEmpty: (key) => this.#counts.values[this.#countRow(key)] === 0,
      encode: (key, out) => {
        const times = this.#times.values;
        const t = this.#timeRow(key);
        const startedAt = times[t + STARTED_AT]!;
        out.varint(startedAt).uvarint(times[t + LAST_AT]! - startedAt).uvarint(this.#counts.values[this.#countRow(key)]!).varint(times[t + SUM_MINOR]!);
        writeStrings(this.#merchantSets.values(key).map((id) => this.#merchants.value(id)), out);
        writeStrings(this.#deviceSets.values(key), out);
      },
      decode: (key, input) => {
        const times = this.#times.values;
        const t = this.#timeRow(key);
        const startedAt = input.varint();
        times[t + STARTED_AT] = startedAt;
        times[t + LAST_AT] = startedAt + input.uvarint();
        this.#counts.values[this.#countRow(key)] = input.uvarint();
        times[t + SUM_MINOR] = input.varint();
        for (let count = input.uvarint(); count > 0; count--) this.#merchantSets.add(key, this.#merchants.id(input.string()));
        for (let count = input.uvarint(); count > 0; count--) this.#deviceSets.add(key, input.string());
      },
      clear: (key) => this.#clear(key),
    };
  }
}
