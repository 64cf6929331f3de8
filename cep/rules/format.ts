// Explanations must be byte-identical on every machine (the determinism invariant), so nothing
// here goes through Intl or toLocaleString, whose output depends on the runtime's ICU data.

/** ISO 4217 currencies whose minor unit is not a hundredth. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `formatMoney(123456, 'EUR')` is `EUR 1,234.56`. */
export function formatMoney(amountMinor: number, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const sign = amountMinor < 0 ? '-' : '';
  const text = String(Math.abs(Math.trunc(amountMinor))).padStart(digits + 1, '0');
  const whole = groupThousands(text.slice(0, text.length - digits));
  return `${currency} ${sign}${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** `formatDuration(601_000)` is `10m 1s`; under a second, milliseconds. */
export function formatDuration(ms: number): string {
  if (Math.abs(ms) < 1_000) return `${Math.trunc(ms)}ms`;
  let rest = Math.abs(Math.trunc(ms));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return (ms < 0 ? '-' : '') + parts.join(' ');
}
