import { expectRule } from '../../cep/rules';
import { transaction } from '../../cep/testing';
import type { Channel } from '../../schemas/types';
import { rule } from './impossible-travel';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;
const PARIS = { lat: 48.8566, lon: 2.3522, country: 'FR' };
const NEW_YORK = { lat: 40.7128, lon: -74.006, country: 'US' };
const LYON = { lat: 45.764, lon: 4.8357, country: 'FR' };
const MADRID = { lat: 40.4168, lon: -3.7038, country: 'ES' };
const at = (id: string, time: number, place: typeof PARIS, channel: Channel = 'POS') =>
  transaction({ transactionId: id, eventTime: T0 + time, channel, ...place });

describe('impossible-travel', () => {
  it('fires on card-present in Paris then New York 2 h later', () => {
    const run = expectRule(rule).given([at('paris', 0, PARIS), at('nyc', 2 * HOUR, NEW_YORK, 'ATM')]).toHit('nyc');
    expect(run.hitOn('nyc')).toMatchObject({
      evidence: { distanceKm: '5837', elapsedMs: String(2 * HOUR), speedKmh: '2919', fromCountry: 'FR', toCountry: 'US' },
      explanation: 'card-present in FR then US, 5837 km apart in 2h (2919 km/h)',
    });
  });

  it('pairs consecutive card-present transactions only, skipping card-not-present ones', () => {
    expectRule(rule).given([at('paris', 0, PARIS), at('web', HOUR, NEW_YORK, 'ECOM'), at('lyon', 2 * HOUR, LYON), at('nyc', 3 * HOUR, NEW_YORK)]).toHit('nyc');
  });

  it('does not fire on Paris then New York 9 h apart (slower than 900 km/h, and outside 6 h)', () => {
    expectRule(rule).given([at('paris', 0, PARIS), at('nyc', 9 * HOUR, NEW_YORK)]).toNotHit();
  });

  it('does not fire on a far hop at airliner speed (Paris to Madrid, 1,053 km in 1.5 h)', () => {
    expectRule(rule).given([at('paris', 0, PARIS), at('madrid', 1.5 * HOUR, MADRID)]).toNotHit();
  });

  it('does not fire when the far transaction is card-not-present', () => {
    expectRule(rule).given([at('paris', 0, PARIS), at('web', HOUR, NEW_YORK, 'ECOM')]).toNotHit();
  });

  it('does not fire on a fast but short hop (Paris to Lyon, under 500 km)', () => {
    expectRule(rule).given([at('paris', 0, PARIS), at('lyon', 60_000, LYON)]).toNotHit();
  });
});
