// The baseline must never meet a rule on its own: brute force over every account of long runs,
// including a crowded one where each account pays every 40 s on average.
import type { Transaction } from '../../schemas/types';
import { CITIES, distanceKm, localHour } from './geo';
import { resolveOptions, type SimulationOptions } from './options';
import type { SimRecord } from './records';
import { Simulation } from './simulation';
import { eventsByAccount, firings } from './testing/rule-predicates';

function baseline(options: SimulationOptions): SimRecord[] {
  const simulation = new Simulation(resolveOptions({ rate: 0, mix: 'rules', scenarios: 0, lateRatio: 0, ...options }));
  return [...simulation.history, ...simulation.records()];
}

describe.each<[string, SimulationOptions]>([
  ['the default population, 100,000 payments', { count: 100_000, seed: 'baseline' }],
  ['a crowded population (4,000 accounts at 100/s)', { count: 100_000, accounts: 4_000, seed: 'crowded' }],
  ['a slow day (5 payments/s over 5.5 h)', { count: 100_000, eventRate: 5, accounts: 1_000, seed: 'slow' }],
])('baseline traffic: %s', (_name, options) => {
  const records = baseline(options);

  it('meets no rule for any account', () => {
    const fired = [...eventsByAccount(records).values()].flatMap(firings);
    expect(fired).toEqual([]);
  });

  it('looks like payments: amounts, declines, channels, profile and auth activity', () => {
    const payments = records.flatMap((r) => (r.kind === 'transaction' ? [r.value] : []));
    const amounts = payments.map((p) => p.amountMinor);
    expect(amounts.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(300);
    expect(amounts.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(150_000);
    const declined = payments.filter((p) => p.authStatus === 'DECLINED').length / payments.length;
    expect(declined).toBeGreaterThan(0.005);
    expect(declined).toBeLessThan(0.03);
    expect(new Set(payments.map((p) => p.channel))).toEqual(new Set(['POS', 'ECOM', 'ATM', 'TRANSFER']));
    const authTypes = new Set(records.flatMap((r) => (r.kind === 'auth' ? [r.value.type] : [])));
    expect(authTypes).toEqual(new Set(['LOGIN_SUCCESS', 'LOGIN_FAILURE', 'NEW_DEVICE', 'PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE']));
    const accounts = new Set(records.filter((r) => r.kind === 'profile').map((r) => r.key)).size;
    expect(records.filter((r) => r.kind === 'profile').length).toBeGreaterThan(accounts);
  });
});

it('follows the daily rhythm: accounts pay more by day than at night, local time', () => {
  const records = baseline({ count: 50_000, eventRate: 2, accounts: 1_000, seed: 'rhythm' });
  const cityOf = (p: Transaction) => CITIES.reduce((a, b) => (distanceKm(a.lat, a.lon, p.lat, p.lon) < distanceKm(b.lat, b.lon, p.lat, p.lon) ? a : b));
  const byHour = new Array<number>(24).fill(0);
  for (const record of records) {
    if (record.kind === 'transaction' && record.value.channel === 'POS') byHour[localHour(cityOf(record.value), record.timestamp)]!++;
  }
  const night = byHour.slice(1, 5).reduce((a, b) => a + b, 0);
  const day = byHour.slice(12, 16).reduce((a, b) => a + b, 0);
  expect(day).toBeGreaterThan(5 * night);
});
