// Text for numbers, money, times and durations, in the browser's locale.

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const moneyFormats = new Map();

export function count(n) {
  return integer.format(n);
}

export function rate(perSecond) {
  return perSecond >= 100 ? integer.format(perSecond) : oneDecimal.format(perSecond);
}

/** A share in [0, 1]; small shares keep two decimals, so that a handful of declines does not read 0.0 %. */
export function percent(share) {
  const pct = share * 100;
  return `${pct.toFixed(pct > 0 && pct < 1 ? 2 : 1)} %`;
}

/** A feature's value: whole numbers as they are, others to three significant digits. */
export function featureValue(value) {
  return Number.isInteger(value) ? integer.format(value) : String(Number(value.toPrecision(3)));
}

export function score(value) {
  return value.toFixed(2);
}

/** Minor units to money: the currency's own number of decimals (2 for EUR, 0 for JPY). */
export function money(amountMinor, currency) {
  if (amountMinor === null || currency === null) return '–';
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    } catch {
      format = null; // not an ISO 4217 code the browser knows: show the minor units as they are
    }
    moneyFormats.set(currency, format);
  }
  if (format === null) return `${integer.format(amountMinor)} ${currency} (minor units)`;
  return format.format(amountMinor / 10 ** format.resolvedOptions().maximumFractionDigits);
}

export function time(epochMs) {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour12: false });
}

export function dateTime(epochMs) {
  return new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function duration(ms) {
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${sign}${integer.format(abs)} ms`;
  if (abs < 60_000) return `${sign}${oneDecimal.format(abs / 1_000)} s`;
  if (abs < 3_600_000) return `${sign}${oneDecimal.format(abs / 60_000)} min`;
  if (abs < 86_400_000) return `${sign}${oneDecimal.format(abs / 3_600_000)} h`;
  return `${sign}${oneDecimal.format(abs / 86_400_000)} d`;
}
