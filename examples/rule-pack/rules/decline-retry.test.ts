import { expectRule, transaction } from '@peregrine/cep';
import { RETRY_WINDOW_MS, rule } from './decline-retry';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const pay = (id: string, at: number, amountMinor: number, authStatus: 'APPROVED' | 'DECLINED', merchantId = 'merchant-1') =>
  transaction({ transactionId: id, amountMinor, authStatus, merchantId, eventTime: T0 + at });

describe('decline-retry', () => {
  it('fires on the second retry for less, and explains both', () => {
    const run = expectRule(rule)
      .given([pay('t1', 0, 50_000, 'DECLINED'), pay('t2', MINUTE, 30_000, 'APPROVED'), pay('t3', 3 * MINUTE, 40_000, 'DECLINED'), pay('t4', 4 * MINUTE, 20_000, 'APPROVED')])
      .toHit('t4');
    expect(run.hitOn('t4').explanation).toBe('retried for less after a decline: EUR 500.00 declined, EUR 300.00 approved; EUR 400.00 declined, EUR 200.00 approved');
  });

  it('does not fire when an approval comes the retry window or more after its decline', () => {
    expectRule(rule)
      .given([pay('t1', 0, 50_000, 'DECLINED'), pay('t2', RETRY_WINDOW_MS, 30_000, 'APPROVED'), pay('t3', 5 * MINUTE, 40_000, 'DECLINED'), pay('t4', 6 * MINUTE, 20_000, 'APPROVED')])
      .toNotHit();
  });

  it('does not count a retry for more, at another merchant, or after another payment', () => {
    const first = [pay('t1', 0, 50_000, 'DECLINED'), pay('t2', MINUTE, 30_000, 'APPROVED')];
    expectRule(rule).given([...first, pay('t3', 3 * MINUTE, 40_000, 'DECLINED'), pay('t4', 4 * MINUTE, 45_000, 'APPROVED')]).toNotHit();
    expectRule(rule).given([...first, pay('t3', 3 * MINUTE, 40_000, 'DECLINED'), pay('t4', 4 * MINUTE, 20_000, 'APPROVED', 'merchant-2')]).toNotHit();
    expectRule(rule)
      .given([...first, pay('t3', 3 * MINUTE, 40_000, 'DECLINED'), pay('t3b', 3 * MINUTE + 1_000, 1_000, 'APPROVED', 'merchant-9'), pay('t4', 4 * MINUTE, 20_000, 'APPROVED')])
      .toNotHit();
  });
});
