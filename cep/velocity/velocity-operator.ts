import type { Transaction, VelocityFeatures } from '../../schemas/types';
import type { KeyState, KeyedStateStore, StateCodec, StateSlot } from '../state/keyed-state';
import {
  EMPTY_BUFFER,
  type EventBuffer,
  decodeEventBuffer,
  encodeEventBuffer,
  evictThrough,
  evictableCount,
  eventCount,
  insertEvent,
  insertionIndex,
  packCountryDeclined,
} from './event-buffer';
import type { Interner } from './interner';
import { type VelocityWindows, longestWindow } from './options';
import { VelocityCalculator } from './velocity-calculator';

/** The cards of one account and their buffers, flattened `[cardId, buffer, cardId, buffer, …]`: an account has few cards. */
type CardBuffers = (string | EventBuffer)[];

/**
 * The card id alone while every event the account retains is of that one card: the card's buffer
 * is then the account buffer. Most accounts use one card, and sharing halves their velocity heap
 * and work. Otherwise the buffers of each card.
 */
type Cards = string | CardBuffers;

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
  readonly #cards: StateSlot<Cards>;
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
    this.#cards = store.register({ name: 'velocity.card', codec: this.#cardCodec(), isEmpty: (c) => typeof c !== 'string' && c.length === 0 });
  }

  onTransaction(state: KeyState, transaction: Transaction, eventTime: number, asOf: number): TransactionVelocity {
    const horizon = asOf - this.retentionMs;
    const merchant = this.#merchants.id(transaction.merchantId);
    const countryDeclined = packCountryDeclined(this.#countries.id(transaction.country), transaction.authStatus === 'DECLINED');
    const amount = transaction.amountMinor;
    // Features are computed before eviction: evictable events lie at or before the horizon, which
    // bounds every look-back, and eviction then rides on the copy that inserts the event.
    const accountBuffer = state.get(this.#accounts) ?? EMPTY_BUFFER;
    const accountEnd = insertionIndex(accountBuffer, eventTime);
    const account = this.#calculator.compute(accountBuffer, accountEnd, eventTime, amount, merchant, countryDeclined, horizon);
    const accountNext = advance(accountBuffer, accountEnd, horizon, eventTime, amount, merchant, countryDeclined);
    state.set(this.#accounts, accountNext.length === 0 ? undefined : accountNext);

    const cardId = transaction.cardId;
    let cards = state.get(this.#cards);
    if (cards === cardId || (cards === undefined && evictableCount(accountBuffer, horizon) === eventCount(accountBuffer))) {
      state.set(this.#cards, accountNext.length === 0 ? undefined : cardId);
      // Equal features, but two objects: they are separate fields of the output a stage receives.
      return { account, card: { ...account } };
    }
    if (typeof cards === 'string') {
      // A second card: the first one's events so far are all the account's.
      cards = [cards, evictThrough(accountBuffer, horizon)];
      state.set(this.#cards, cards);
    }
    const at = cards === undefined ? -1 : cards.indexOf(cardId);
    const cardBuffer = at < 0 ? EMPTY_BUFFER : (cards![at + 1] as EventBuffer);
    const cardEnd = insertionIndex(cardBuffer, eventTime);
    const card = this.#calculator.compute(cardBuffer, cardEnd, eventTime, amount, merchant, countryDeclined, horizon);
    const cardNext = advance(cardBuffer, cardEnd, horizon, eventTime, amount, merchant, countryDeclined);
    if (at >= 0) cards![at + 1] = cardNext;
    else if (cardNext.length > 0) state.set(this.#cards, cards === undefined ? [cardId, cardNext] : [...cards, cardId, cardNext]);
    this.#evictCards(state, horizon);
    return { account, card };
  }

  /** Drops what no record decided at `asOf` or later can see; removes emptied buffers. */
  evict(state: KeyState, asOf: number): void {
    const horizon = asOf - this.retentionMs;
    const accountBuffer = state.get(this.#accounts);
    if (accountBuffer !== undefined) {
      const kept = evictThrough(accountBuffer, horizon);
      state.set(this.#accounts, kept.length === 0 ? undefined : kept);
    }
    this.#evictCards(state, horizon);
  }

  #evictCards(state: KeyState, horizon: number): void {
    const cards = state.get(this.#cards);
    const accountLength = state.get(this.#accounts)?.length ?? 0;
    if (cards === undefined || typeof cards === 'string') {
      // A shared buffer was evicted with the account's.
      if (accountLength === 0) state.set(this.#cards, undefined);
      return;
    }
    let kept = cards;
    for (let at = 0; at < cards.length; at += 2) {
      const buffer = evictThrough(cards[at + 1] as EventBuffer, horizon);
      cards[at + 1] = buffer;
      if (buffer.length === 0 && kept === cards) kept = cards.slice(0, at);
      else if (kept !== cards && buffer.length > 0) kept.push(cards[at]!, buffer);
    }
    // When one card is left with all the account's events, it shares the account buffer again.
    if (kept.length === 2 && (kept[1] as EventBuffer).length === accountLength) state.set(this.#cards, kept[0] as string);
    else if (kept !== cards) state.set(this.#cards, kept.length === 0 ? undefined : kept);
  }

  #accountCodec(): StateCodec<EventBuffer> {
    return {
      version: 1,
      encode: (buffer, out) => encodeEventBuffer(buffer, this.#merchants, this.#countries, out),
      decode: (input) => decodeEventBuffer(input, this.#merchants, this.#countries),
    };
  }

  /** Version 2 adds the shared form (a flag, then the card id); version 1 always lists buffers. */
  #cardCodec(): StateCodec<Cards> {
    return {
      version: 2,
      encode: (cards, out) => {
        out.bool(typeof cards === 'string');
        if (typeof cards === 'string') {
          out.string(cards);
          return;
        }
        out.uvarint(cards.length / 2);
        for (let at = 0; at < cards.length; at += 2) {
          out.string(cards[at] as string);
          encodeEventBuffer(cards[at + 1] as EventBuffer, this.#merchants, this.#countries, out);
        }
      },
      decode: (input, version) => {
        if (version >= 2 && input.bool()) return input.string();
        const cards: CardBuffers = [];
        for (let count = input.uvarint(); count > 0; count--) {
          cards.push(input.string(), decodeEventBuffer(input, this.#merchants, this.#countries));
        }
        return cards;
      },
    };
  }
}

/** The buffer evicted through `horizon` and with the event inserted at `end`, in one copy. */
function advance(buffer: EventBuffer, end: number, horizon: number, time: number, amountMinor: number, merchant: number, countryDeclined: number): EventBuffer {
  // An event beyond the horizon would be evicted at once: it is scored but not kept.
  if (time <= horizon) return evictThrough(buffer, horizon);
  return insertEvent(buffer, end, evictableCount(buffer, horizon), time, amountMinor, merchant, countryDeclined);
}
