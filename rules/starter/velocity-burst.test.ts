import { expectRule } from '../../cep/rules';
import { transaction } from '../../cep/testing';
import { rule } from './velocity-burst';

const T0 = 1_700_000_000_000;
const burst = (count: number, spacingMs: number, amountMinor = 1_000) =>
  Array.from({ length: count }, (_, i) => transaction({ transactionId: `tx-${i + 1}`, eventTime: T0 + i * spacingMs, amountMinor }));

describe('velocity-burst', () => {
  it('fires on the 8th transaction within 60 s, and on each after it', () => {
    const run = expectRule(rule).given(burst(9, 5_000)).toHit('tx-8', 'tx-9');
    expect(run.hitOn('tx-8')).toMatchObject({
      evidence: { count: '8', sumMinor: '8000' },
      explanation: '8 transactions totalling EUR 80.00 in the last 60 s',
    });
  });

  it('fires when the sum in 60 s reaches 5,000.00', () => {
    expectRule(rule).given([...burst(1, 0, 300_000), transaction({ transactionId: 'tx-2', eventTime: T0 + 59_999, amountMinor: 200_000 })]).toHit('tx-2');
  });

  it('does not fire on 7 transactions in 60 s', () => {
    expectRule(rule).given(burst(7, 8_000)).toNotHit();
  });

  it('does not count a transaction exactly 60 s old: the look-back is (t - 60 s, t]', () => {
    expectRule(rule).given(burst(8, 60_000 / 7)).toNotHit();
  });

  it('does not fire on a sum of 4,999.99', () => {
    expectRule(rule).given([...burst(1, 0, 300_000), transaction({ transactionId: 'tx-2', eventTime: T0 + 1_000, amountMinor: 199_999 })]).toNotHit();
  });
});
