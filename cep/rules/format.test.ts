import { formatDuration, formatMoney } from './format';

describe('formatMoney', () => {
  it.each([
    [123_456, 'EUR', 'EUR 1,234.56'],
    [5, 'USD', 'USD 0.05'],
    [0, 'GBP', 'GBP 0.00'],
    [-150_000_000, 'EUR', 'EUR -1,500,000.00'],
    [123_456, 'JPY', 'JPY 123,456'],
    [1_234, 'KWD', 'KWD 1.234'],
  ])('%d %s is %s', (minor, currency, text) => expect(formatMoney(minor, currency)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [1_000, '1s'],
    [601_000, '10m 1s'],
    [9 * 3_600_000, '9h'],
    [90 * 86_400_000 + 61_000, '90d 1m 1s'],
    [-60_000, '-1m'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
