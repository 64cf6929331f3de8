import { expectRule } from '../../cep/rules';
import { profile, transaction } from '../../cep/testing';
import { rule } from './over-limit';

const T0 = 1_700_000_000_000;
const account = profile({ updatedAt: T0, creditLimitMinor: 100_000, currency: 'EUR' });
const spend = (amountMinor: number, currency = 'EUR') => transaction({ transactionId: 'tx', eventTime: T0 + 1_000, amountMinor, currency });

describe('over-limit', () => {
  it('fires at 1.5 times the credit limit', () => {
    const run = expectRule(rule).given([account, spend(150_000)]).toHit('tx');
    expect(run.hitOn('tx')).toMatchObject({
      evidence: { amountMinor: '150000', creditLimitMinor: '100000', ratio: '1.50' },
      explanation: 'EUR 1,500.00 is 1.50x the credit limit of EUR 1,000.00',
    });
  });

  it('does not fire at 1.4 times the limit, or just under 1.5', () => {
    expectRule(rule).given([account, spend(140_000)]).toNotHit();
    expectRule(rule).given([account, spend(149_999)]).toNotHit();
  });

  it('does not fire for an unknown account or a foreign currency', () => {
    expectRule(rule).given([spend(1_000_000)]).toNotHit();
    expectRule(rule).given([account, spend(1_000_000, 'USD')]).toNotHit();
  });
});
