// The tests the tutorial in docs/rules.md walks through (the regions below are shown there and in the
// README).
// #region test
import { expectRule } from '../../cep/rules';
import { authEvent, profile, transaction } from '../../cep/testing';
import { rule } from './new-device-abroad';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const home = profile({ accountId: 'acct-1', homeCountry: 'DE', updatedAt: T0 - 24 * 60 * MIN });
const newDevice = authEvent({ accountId: 'acct-1', eventId: 'login-1', type: 'NEW_DEVICE', eventTime: T0 });
const online = (id: string, at: number, country: string) =>
  transaction({ accountId: 'acct-1', transactionId: id, channel: 'ECOM', country, eventTime: T0 + at });

describe('new-device-abroad', () => {
  it('fires on an online payment abroad after a login from a new device, and explains why', () => {
    // #region fires
    const run = expectRule(rule).given([home, newDevice, online('tx-1', 5 * MIN, 'BR')]).toHit('tx-1');
    expect(run.hitOn('tx-1')).toMatchObject({
      evidence: { homeCountry: 'DE', country: 'BR' },
      explanation: 'new device, then an online payment in BR (home DE) 5m later',
    });
    // #endregion fires
  });

  it('fires on every payment abroad in the window, skipping the ones at home', () => {
    expectRule(rule).given([home, newDevice, online('tx-1', MIN, 'DE'), online('tx-2', 2 * MIN, 'BR'), online('tx-3', 3 * MIN, 'FR')]).toHit('tx-2', 'tx-3');
  });

  it('does not fire 15 minutes after the login, at a terminal, or for an account without a profile', () => {
    expectRule(rule).given([home, newDevice, online('tx-1', 15 * MIN, 'BR')]).toNotHit();
    expectRule(rule).given([home, newDevice, { ...online('tx-1', MIN, 'BR'), channel: 'POS' }]).toNotHit();
    expectRule(rule).given([newDevice, online('tx-1', MIN, 'BR')]).toNotHit();
  });
});
// #endregion test
