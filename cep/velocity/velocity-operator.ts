import type { Transaction, VelocityFeatures } from '../../schemas/types';
import type { KeyState, KeyedStateStore, StateCodec, StateSlot } from '../state/keyed-state';
import {
  type EventBuffer,
  decodeEventBuffer,
  encodeEventBuffer,
  evictThrough,
  insertEvent,
  insertionIndex,
  packCountryDeclined,
} from './event-buffer';
import type { Interner } from './interner';
import { type VelocityWindows, longestWindow } from './options';
import { VelocityCalculator } from './velocity-calculator';

/** The cards of one account and their buffers, flattened `[cardId, buffer, cardId, buffer, …]`: an account has few cards. */
type CardBuffers = (string | EventBuffer)[];

export interface VelocityOperatorOptions {
  readonly windows: VelocityWindows;
  /** How far behind the watermark a late record still sees exact features. */
  readonly allowedLatenessMs: number;
  readonly merchants: Interner;
  readonly countries: Interner;
}

export interface TransactionVelocity {
  readonly account: VelocityFeatures;
  readonly card: VelocityFeatures;
}

/**
 * Per-account and per-card velocity features of transactions. Both live in the account's key
 * state (a card belongs to one account, so its events reach the account's task).
 *
 * Retention: a record processed with decision time `asOf` (its own event time when on time, the
 * task watermark when late) never needs events at or before `asOf - allowedLateness - longest
 * window`, and `asOf` never decreases along a task's processing sequence, so those events are
 * evicted for good. Late records further behind than the allowed lateness see only what is
 * retained, which keeps their features a function of the processing sequence, not of when
 * eviction happened to run.
 */
export class VelocityOperator {
  readonly #accounts: StateSlot<EventBuffer>;
  readonly #cards: StateSlot<CardBuffers>;
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
    this.#accounts = store.register({ name: 'velocity.account', codec: this.#accountCodec(), isEmpty: (b) => b.length === 0 });
    this.#cards = store.register({ name: 'velocity.card', codec: this.#cardCodec(), isEmpty: (c) => c.length === 0 });
  }

  onTransaction(state: KeyState, transaction: Transaction, eventTime: number, asOf: number): TransactionVelocity {
    this.evict(state, asOf);
    const horizon = asOf - this.retentionMs;
    const merchant = this.#merchants.id(transaction.merchantId);
    const countryDeclined = packCountryDeclined(this.#countries.id(transaction.country), transaction.authStatus === 'DECLINED');
    const amount = transaction.amountMinor;

    let accountBuffer = state.get(this.#accounts);
    if (accountBuffer === undefined) state.set(this.#accounts, (accountBuffer = []));
    const account = this.#observe(accountBuffer, horizon, eventTime, amount, merchant, countryDeclined);

    let cards = state.get(this.#cards);
    if (cards === undefined) state.set(this.#cards, (cards = []));
    let at = cards.indexOf(transaction.cardId);
    if (at < 0) at = cards.push(transaction.cardId, []) - 2;
    const card = this.#observe(cards[at + 1] as EventBuffer, horizon, eventTime, amount, merchant, countryDeclined);
    // A record beyond the horizon is scored but not kept, which may leave a new buffer empty.
    if (eventTime <= horizon) this.evict(state, asOf);
    return { account, card };
  }

  /** Drops what no record decided at `asOf` or later can see; removes emptied buffers. */
  evict(state: KeyState, asOf: number): void {
    const horizon = asOf - this.retentionMs;
    const accountBuffer = state.get(this.#accounts);
    if (accountBuffer !== undefined) {
      evictThrough(accountBuffer, horizon);
      if (accountBuffer.length === 0) state.set(this.#accounts, undefined);
    }
    const cards = state.get(this.#cards);
    if (cards === undefined) return;
    for (let at = cards.length - 2; at >= 0; at -= 2) {
      const buffer = cards[at + 1] as EventBuffer;
      evictThrough(buffer, horizon);
      if (buffer.length === 0) cards.splice(at, 2);
    }
    if (cards.length === 0) state.set(this.#cards, undefined);
  }

  #observe(buffer: EventBuffer, horizon: number, time: number, amount: number, merchant: number, countryDeclined: number): VelocityFeatures {
    const end = insertionIndex(buffer, time);
    const features = this.#calculator.compute(buffer, end, time, amount, merchant, countryDeclined, horizon);
    if (time > horizon) insertEvent(buffer, end, time, amount, merchant, countryDeclined);
    return features;
  }

  #accountCodec(): StateCodec<EventBuffer> {
    return {
      version: 1,
      encode: (buffer, out) => encodeEventBuffer(buffer, this.#merchants, this.#countries, out),
      decode: (input) => decodeEventBuffer(input, this.#merchants, this.#countries),
    };
  }

  #cardCodec(): StateCodec<CardBuffers> {
    return {
      version: 1,
      encode: (cards, out) => {
        out.uvarint(cards.length / 2);
        for (let at = 0; at < cards.length; at += 2) {
          out.string(cards[at] as string);
          encodeEventBuffer(cards[at + 1] as EventBuffer, this.#merchants, this.#countries, out);
        }
      },
      decode: (input) => {
        const cards: CardBuffers = [];
        for (let count = input.uvarint(); count > 0; count--) {
          cards.push(input.string(), decodeEventBuffer(input, this.#merchants, this.#countries));
        }
        return cards;
      },
    };
  }
}
