import type { Transaction } from '../../schemas/types';
import { type ByteReader, type ByteWriter, corrupt } from '../state/bytes';
import type { KeyedColumns, KeyedStateStore } from '../state/keyed-state';
import type { Interner } from './interner';
import { type VelocityWindows, longestWindow } from './options';
import { transactionFingerprint, transactionIdHash } from './fingerprint';
import { AMOUNT, BODY_HASH, COUNTRY_DECLINED, EVENT_WIDTH, type EventNumbers, ID_HASH, MERCHANT, RecentEvents, packCountryDeclined } from './recent-events';
import { type TransactionVelocity, VelocityCalculator } from './velocity-calculator';

/** Construction options of a {@link VelocityOperator}; all durations in milliseconds of event time. */
export interface VelocityOperatorOptions {
  /** Look-back of each feature, e.g. from `velocityWindows()`. */
  readonly windows: VelocityWindows;
  /** How far behind the watermark a late record still sees exact features. */
  readonly allowedLatenessMs: number;
  /** Numbering of merchant ids; may be shared with the task's other operators. */
  readonly merchants: Interner;
  /** Numbering of country codes. */
  readonly countries: Interner;
}

/** How a transaction relates to the account's recent ones: `duplicate` repeats one's id and body, `conflict` its id alone. */
export type Repetition = 'duplicate' | 'conflict' | null;

/**
 * Per-account and per-card velocity features of transactions. Both come from the account's
 * recent events (a card belongs to one account, so its events reach the account's task): the
 * card features are the account's look-back restricted to the transaction's card.
 *
 * Retention: a record processed with decision time `asOf` (its own event time when on time, the
 * task watermark when late) never needs events at or before `asOf - allowedLateness - longest
 * window`, and `asOf` never decreases along a task's processing sequence, so those events are
 * evicted for good. Late records further behind than the allowed lateness see only what is
 * retained, which keeps their features a function of the processing sequence, not of when
 * eviction happened to run.
 */
export class VelocityOperator {
  readonly #events: RecentEvents;
  /** The numbers of the transaction last seen (`#hashed`), reused for every insert. */
  readonly #numbers: EventNumbers = { amountMinor: 0, merchant: 0, countryDeclined: 0, idHash: 0, bodyHash: 0 };
  #hashed: Transaction | null = null;
  readonly #calculator: VelocityCalculator;
  readonly #merchants: Interner;
  readonly #countries: Interner;
  /** Event time after its last event for which a key's velocity state can still matter. */
  readonly retentionMs: number;

  constructor(store: KeyedStateStore, options: VelocityOperatorOptions) {
    this.#merchants = options.merchants;
    this.#countries = options.countries;
    this.#calculator = new VelocityCalculator(options.windows, options.merchants, options.countries);
    this.retentionMs = options.allowedLatenessMs + longestWindow(options.windows);
    this.#events = new RecentEvents(store.rows);
    store.registerColumns(this.#accountColumns());
    store.registerColumns(this.#cardColumns());
  }

  /**
   * Whether the account's recent events (those within the retention) hold the transaction's id
   * already. A repeated transaction is not new: the caller decides it without `onTransaction`.
   */
  repetition(key: number, transaction: Transaction): Repetition {
    const numbers = this.#numbersOf(transaction);
    const events = this.#events;
    const slot = events.slotOf(key, numbers.idHash);
    if (slot < 0) return null;
    const at = slot * EVENT_WIDTH;
    const stored = events.events;
    const same =
      stored[at] === transaction.eventTime &&
      stored[at + AMOUNT] === numbers.amountMinor &&
      stored[at + MERCHANT] === numbers.merchant &&
      stored[at + COUNTRY_DECLINED] === numbers.countryDeclined &&
      stored[at + BODY_HASH] === numbers.bodyHash &&
      events.cards[slot] === transaction.cardId;
    return same ? 'duplicate' : 'conflict';
  }

  onTransaction(key: number, transaction: Transaction, eventTime: number, asOf: number): TransactionVelocity {
    const events = this.#events;
    const horizon = asOf - this.retentionMs;
    const numbers = this.#numbersOf(transaction);
    // Features are computed before eviction: evictable events lie at or before the horizon, which
    // bounds every look-back.
    const end = events.insertionIndex(key, eventTime);
    const velocity = this.#calculator.compute(events, key, end, eventTime, numbers.amountMinor, numbers.merchant, numbers.countryDeclined, horizon, transaction.cardId);
    const evicted = events.evictThrough(key, horizon);
    // An event at or before the horizon would be evicted at once: it is scored but not kept.
    if (eventTime > horizon) events.insert(key, end - evicted, eventTime, numbers, transaction.cardId);
    return velocity;
  }

  /** The numbers a recent event keeps of `transaction`, computed once for the `repetition` check and the insert after it. */
  #numbersOf(transaction: Transaction): EventNumbers {
    const numbers = this.#numbers;
    if (this.#hashed !== transaction) {
      numbers.idHash = transactionIdHash(transaction.transactionId);
      numbers.bodyHash = transactionFingerprint(transaction);
      numbers.merchant = this.#merchants.id(transaction.merchantId);
      numbers.countryDeclined = packCountryDeclined(this.#countries.id(transaction.country), transaction.authStatus === 'DECLINED');
      numbers.amountMinor = transaction.amountMinor;
      this.#hashed = transaction;
    }
    return numbers;
  }

  /** Drops what no record decided at `asOf` or later can see. */
  evict(key: number, asOf: number): void {
    this.#events.evictThrough(key, asOf - this.retentionMs);
  }

  /**
   * The account's events: times delta-encoded, ids as their strings (interned ids are local to a
   * task's lifetime); version 2 added each event's id and body hashes, which events restored from
   * version 1 lack (NaN: they match no repeated id).
   */
  #accountColumns(): KeyedColumns {
    const events = this.#events;
    return {
      name: 'velocity.account',
      version: 2,
      grow: () => {},
      isEmpty: (key) => events.count(key) === 0,
      encode: (key, out) => {
        this.#encodeEvents(key, undefined, out);
        const first = events.first(key);
        for (let slot = first; slot < first + events.count(key); slot++) {
          out.float64(events.events[slot * EVENT_WIDTH + ID_HASH]!).float64(events.events[slot * EVENT_WIDTH + BODY_HASH]!);
        }
      },
      decode: (key, input, version) => {
        const numbers: EventNumbers = { amountMinor: 0, merchant: 0, countryDeclined: 0, idHash: NaN, bodyHash: NaN };
        this.#decodeEvents(input, (time, amountMinor, merchant, countryDeclined) => {
          Object.assign(numbers, { amountMinor, merchant, countryDeclined });
          events.insert(key, events.count(key), time, numbers, '');
        });
        if (version < 2) return;
        const first = events.first(key);
        for (let slot = first; slot < first + events.count(key); slot++) {
          events.events[slot * EVENT_WIDTH + ID_HASH] = input.float64();
          events.events[slot * EVENT_WIDTH + BODY_HASH] = input.float64();
        }
      },
      clear: (key) => events.clear(key),
    };
  }

  /**
   * The card of each event, in the `velocity.card` slot's existing format so that changelogs
   * written before cards were kept per event still restore: version 2 writes the card id alone
   * while every event is of one card (a flag, then the id); otherwise, and always in version 1,
   * each card's events. It is decoded after `velocity.account` (slots are written in registration
   * order) and matches each card event to an account event.
   */
  #cardColumns(): KeyedColumns {
    const events = this.#events;
    return {
      name: 'velocity.card',
      version: 2,
      grow: () => {},
      isEmpty: (key) => events.count(key) === 0,
      encode: (key, out) => {
        const cards = [...new Set(this.#cardsOf(key))];
        out.bool(cards.length === 1);
        if (cards.length === 1) {
          out.string(cards[0]!);
          return;
        }
        out.uvarint(cards.length);
        for (const card of cards) {
          out.string(card);
          this.#encodeEvents(key, card, out);
        }
      },
      decode: (key, input, version) => {
        if (version >= 2 && input.bool()) {
          const card = input.string();
          for (let index = 0; index < events.count(key); index++) events.setCard(key, index, card);
          return;
        }
        const assigned = new Set<number>();
        for (let count = input.uvarint(); count > 0; count--) {
          const card = input.string();
          this.#decodeEvents(input, (time, amountMinor, merchant, countryDeclined) => {
            const index = this.#matchingEvent(key, assigned, time, amountMinor, merchant, countryDeclined);
            assigned.add(index);
            events.setCard(key, index, card);
          });
        }
      },
      clear: () => {},
    };
  }

  #cardsOf(key: number): string[] {
    const first = this.#events.first(key);
    return Array.from({ length: this.#events.count(key) }, (_, index) => this.#events.cards[first + index]!);
  }

  #encodeEvents(key: number, card: string | undefined, out: ByteWriter): void {
    const events = this.#events;
    const first = events.first(key);
    const slots: number[] = [];
    for (let slot = first; slot < first + events.count(key); slot++) if (card === undefined || events.cards[slot] === card) slots.push(slot);
    out.uvarint(slots.length);
    let previous = 0;
    slots.forEach((slot, index) => {
      const at = slot * EVENT_WIDTH;
      const time = events.events[at]!;
      if (index === 0) out.varint(time);
      else out.uvarint(time - previous);
      previous = time;
      const countryDeclined = events.events[at + COUNTRY_DECLINED]!;
      out
        .varint(events.events[at + AMOUNT]!)
        .string(this.#merchants.value(events.events[at + MERCHANT]!))
        .string(this.#countries.value(countryDeclined >> 1))
        .bool((countryDeclined & 1) === 1);
    });
  }

  #decodeEvents(input: ByteReader, onEvent: (time: number, amountMinor: number, merchant: number, countryDeclined: number) => void): void {
    let time = 0;
    for (let count = input.uvarint(), index = 0; index < count; index++) {
      time = index === 0 ? input.varint() : time + input.uvarint();
      const amountMinor = input.varint();
      const merchant = this.#merchants.id(input.string());
      const country = this.#countries.id(input.string());
      onEvent(time, amountMinor, merchant, packCountryDeclined(country, input.bool()));
    }
  }

  /** Index of the first account event equal to a card event and not yet given a card. */
  #matchingEvent(key: number, assigned: ReadonlySet<number>, time: number, amountMinor: number, merchant: number, countryDeclined: number): number {
    const events = this.#events;
    const first = events.first(key);
    for (let index = 0; index < events.count(key); index++) {
      const at = (first + index) * EVENT_WIDTH;
      const numbers = events.events;
      if (assigned.has(index) || numbers[at] !== time || numbers[at + AMOUNT] !== amountMinor) continue;
      if (numbers[at + MERCHANT] === merchant && numbers[at + COUNTRY_DECLINED] === countryDeclined) return index;
    }
    throw corrupt(`velocity card state of key ${key} lists an event its account state does not hold`);
  }
}
