import type { VelocityFeatures } from '../../schemas/types';
import { DistinctCounter, type Interner } from './interner';
import type { VelocityWindows } from './options';
import { AMOUNT, COUNTRY_DECLINED, EVENT_WIDTH, MERCHANT, type RecentEvents } from './recent-events';

/** Start (exclusive) of each feature's look-back for one event. */
class LookBack {
  count = 0;
  sumMinor = 0;
  maxMinor = 0;
  merchants = 0;
  countries = 0;
  declines = 0;
  previous = 0;
  /** The earliest of the aggregates' starts: the scan stops at or before it. */
  scan = 0;

  set(windows: VelocityWindows, time: number, horizon: number): void {
    this.count = Math.max(time - windows.count, horizon);
    this.sumMinor = Math.max(time - windows.sumMinor, horizon);
    this.maxMinor = Math.max(time - windows.maxMinor, horizon);
    this.merchants = Math.max(time - windows.distinctMerchants, horizon);
    this.countries = Math.max(time - windows.distinctCountries, horizon);
    this.declines = Math.max(time - windows.declines, horizon);
    this.previous = Math.max(time - windows.msSincePrevious, horizon);
    this.scan = Math.min(this.count, this.sumMinor, this.maxMinor, this.merchants, this.countries, this.declines);
  }
}

/** The running aggregates of one scan (of the account's events, or of one card's). */
class Aggregates {
  count = 0;
  sumMinor = 0;
  maxMinor = 0;
  distinctMerchants = 0;
  distinctCountries = 0;
  declines = 0;
  /** Time of the newest earlier event in the `msSincePrevious` look-back; -Infinity when none. */
  previous = -Infinity;
  readonly #merchants: DistinctCounter;
  readonly #countries: DistinctCounter;

  constructor(merchants: Interner, countries: Interner) {
    this.#merchants = new DistinctCounter(merchants);
    this.#countries = new DistinctCounter(countries);
  }

  /** Starts with the event itself, which every look-back includes. */
  begin(amountMinor: number, merchant: number, countryDeclined: number): void {
    this.#merchants.begin();
    this.#countries.begin();
    this.#merchants.add(merchant);
    this.#countries.add(countryDeclined >> 1);
    this.count = 1;
    this.sumMinor = amountMinor;
    this.maxMinor = amountMinor;
    this.distinctMerchants = 1;
    this.distinctCountries = 1;
    this.declines = countryDeclined & 1;
    this.previous = -Infinity;
  }

  /** Adds an earlier event at `t`, newest first, to the look-backs it falls into. */
  add(from: LookBack, t: number, amount: number, merchant: number, countryDeclined: number): void {
    if (t > from.count) this.count++;
    if (t > from.sumMinor) this.sumMinor += amount;
    if (t > from.maxMinor && amount > this.maxMinor) this.maxMinor = amount;
    if (t > from.merchants && this.#merchants.add(merchant)) this.distinctMerchants++;
    if (t > from.countries && this.#countries.add(countryDeclined >> 1)) this.distinctCountries++;
    if (t > from.declines) this.declines += countryDeclined & 1;
    if (this.previous === -Infinity && t > from.previous) this.previous = t;
  }

  features(time: number): VelocityFeatures {
    const { count, sumMinor, maxMinor, distinctMerchants, distinctCountries, declines, previous } = this;
    return { count, sumMinor, maxMinor, distinctMerchants, distinctCountries, declines, msSincePrevious: previous === -Infinity ? null : time - previous };
  }
}

/** The velocity features of one transaction, the transaction itself included in each look-back. */
export interface TransactionVelocity {
  /** Over all the account's recent transactions. */
  readonly account: VelocityFeatures;
  /** Over the account's recent transactions made with the same card. */
  readonly card: VelocityFeatures;
}

/**
 * Exact look-back features of one event over its key's recent events, for the account and for
 * the event's card. Each feature f covers (max(t - window_f, horizon), t]: the horizon is where
 * retained state ends, which only bites for records later than the allowed lateness (see
 * VelocityOperator).
 *
 * The features are computed by one backward scan over the events in the look-back rather than
 * by running aggregates: a per-key buffer holds a handful of events in 60 s, so the scan touches
 * a few cache-resident numbers, supports a different window per feature and late inserts, and
 * needs no per-key max deque or distinct-count map (which would cost more heap than the events).
 * The account's and the card's aggregates are built in the same scan, as a card's events are
 * among its account's. A key with n events in its window costs O(n) per event.
 */
export class VelocityCalculator {
  readonly #windows: VelocityWindows;
  readonly #from = new LookBack();
  readonly #account: Aggregates;
  readonly #card: Aggregates;

  constructor(windows: VelocityWindows, merchants: Interner, countries: Interner) {
    this.#windows = windows;
    this.#account = new Aggregates(merchants, countries);
    this.#card = new Aggregates(merchants, countries);
  }

  /**
   * Features of an event of `card` at `time` that belongs just before index `end` of the key's
   * events (all events before `end` are at or before `time`). The event itself is always included.
   */
  compute(events: RecentEvents, key: number, end: number, time: number, amountMinor: number, merchant: number, countryDeclined: number, horizon: number, card: string): TransactionVelocity {
    const from = this.#from;
    from.set(this.#windows, time, horizon);
    const account = this.#account;
    const ofCard = this.#card;
    account.begin(amountMinor, merchant, countryDeclined);
    ofCard.begin(amountMinor, merchant, countryDeclined);
    const numbers = events.events;
    const cards = events.cards;
    const first = events.first(key);
    const reach = Math.min(from.scan, from.previous);
    for (let slot = first + end - 1; slot >= first; slot--) {
      const at = slot * EVENT_WIDTH;
      const t = numbers[at]!;
      if (t <= reach) break;
      const amount = numbers[at + AMOUNT]!;
      const m = numbers[at + MERCHANT]!;
      const cd = numbers[at + COUNTRY_DECLINED]!;
      account.add(from, t, amount, m, cd);
      if (cards[slot] === card) ofCard.add(from, t, amount, m, cd);
    }
    return { account: account.features(time), card: ofCard.features(time) };
  }
}
