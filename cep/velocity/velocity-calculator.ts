import type { VelocityFeatures } from '../../schemas/types';
import { DistinctCounter, type Interner } from './interner';
import type { VelocityWindows } from './options';
import { AMOUNT, COUNTRY_DECLINED, EVENT_WIDTH, MERCHANT, type RecentEvents } from './recent-events';

/**
 * Exact look-back features of one event over its key's recent events. Each feature f covers
 * (max(t - window_f, horizon), t]: the horizon is where retained state ends, which only bites
 * for records later than the allowed lateness (see VelocityOperator).
 *
 * The features are computed by one backward scan over the events in the look-back rather than
 * by running aggregates: a per-key buffer holds a handful of events in 60 s, so the scan touches
 * a few cache-resident numbers, supports a different window per feature and late inserts, and
 * needs no per-key max deque or distinct-count map (which would cost more heap than the events).
 * A key with n events in its window costs O(n) per event.
 */
export class VelocityCalculator {
  readonly #windows: VelocityWindows;
  readonly #merchants: DistinctCounter;
  readonly #countries: DistinctCounter;

  constructor(windows: VelocityWindows, merchants: Interner, countries: Interner) {
    this.#windows = windows;
    this.#merchants = new DistinctCounter(merchants);
    this.#countries = new DistinctCounter(countries);
  }

  /**
   * Features of an event at `time` that belongs just before index `end` of the key's events (all
   * events before `end` are at or before `time`), over the events of `card` only when it is
   * given. The event itself is always included.
   */
  compute(
    events: RecentEvents,
    key: number,
    end: number,
    time: number,
    amountMinor: number,
    merchant: number,
    countryDeclined: number,
    horizon: number,
    card: string | undefined,
  ): VelocityFeatures {
    const w = this.#windows;
    const countFrom = Math.max(time - w.count, horizon);
    const sumFrom = Math.max(time - w.sumMinor, horizon);
    const maxFrom = Math.max(time - w.maxMinor, horizon);
    const merchantsFrom = Math.max(time - w.distinctMerchants, horizon);
    const countriesFrom = Math.max(time - w.distinctCountries, horizon);
    const declinesFrom = Math.max(time - w.declines, horizon);
    const previousFrom = Math.max(time - w.msSincePrevious, horizon);
    const scanFrom = Math.min(countFrom, sumFrom, maxFrom, merchantsFrom, countriesFrom, declinesFrom);

    const merchants = this.#merchants;
    const countries = this.#countries;
    merchants.begin();
    countries.begin();
    merchants.add(merchant);
    countries.add(countryDeclined >> 1);
    let count = 1;
    let sumMinor = amountMinor;
    let maxMinor = amountMinor;
    let distinctMerchants = 1;
    let distinctCountries = 1;
    let declines = countryDeclined & 1;

    const numbers = events.events;
    const cards = events.cards;
    const first = events.first(key);
    const last = first + end - 1;
    for (let slot = last; slot >= first; slot--) {
      const at = slot * EVENT_WIDTH;
      const t = numbers[at]!;
      if (t <= scanFrom) break;
      if (card !== undefined && cards[slot] !== card) continue;
      const amount = numbers[at + AMOUNT]!;
      const cd = numbers[at + COUNTRY_DECLINED]!;
      if (t > countFrom) count++;
      if (t > sumFrom) sumMinor += amount;
      if (t > maxFrom && amount > maxMinor) maxMinor = amount;
      if (t > merchantsFrom && merchants.add(numbers[at + MERCHANT]!)) distinctMerchants++;
      if (t > countriesFrom && countries.add(cd >> 1)) distinctCountries++;
      if (t > declinesFrom) declines += cd & 1;
    }

    // The previous event of the card; one at or before previousFrom is out of reach, and so is every earlier one.
    let previous = -Infinity;
    for (let slot = last; slot >= first && numbers[slot * EVENT_WIDTH]! > previousFrom; slot--) {
      if (card === undefined || cards[slot] === card) {
        previous = numbers[slot * EVENT_WIDTH]!;
        break;
      }
    }
    const msSincePrevious = previous > previousFrom ? time - previous : null;
    return { count, sumMinor, maxMinor, distinctMerchants, distinctCountries, declines, msSincePrevious };
  }
}
