// Amounts of several currencies on one scale, for the backtest's amount figures only (how much fraud
// was stopped, how much legitimate spending was declined). Rates are fixed and approximate, so that a
// backtest gives the same numbers on any day; the per-currency sums are reported beside them.

/** Approximate euros per unit of each currency the simulator's cities use, and a few more. */
const EUR_PER_UNIT: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 0.92,
  GBP: 1.17,
  CHF: 1.05,
  JPY: 0.0062,
  CAD: 0.68,
  AUD: 0.61,
  NZD: 0.56,
  SGD: 0.69,
  SEK: 0.088,
  NOK: 0.086,
  DKK: 0.134,
  PLN: 0.23,
};

const minorUnits = new Map<string, number>();

/** Minor units per major unit, by ISO 4217 exponent (from the runtime's currency data, asked once per currency). */
function minorPerUnit(currency: string): number {
  let units = minorUnits.get(currency);
  if (units === undefined) {
    try {
      units = 10 ** new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits!;
    } catch {
      units = 100;
    }
    minorUnits.set(currency, units);
  }
  return units;
}

/** The amount in euro cents, or null for a currency without a rate (then it counts only in its own currency's sums). */
export function euroCents(amountMinor: number, currency: string): number | null {
  const rate = EUR_PER_UNIT[currency];
  if (rate === undefined) return null;
  return Math.round(((amountMinor / minorPerUnit(currency)) * rate) * 100);
}
