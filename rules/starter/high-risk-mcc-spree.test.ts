import { expectRule } from '../../cep/rules';
import { transaction } from '../../cep/testing';
import { rule } from './high-risk-mcc-spree';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const spend = (id: string, at: number, mcc: string) => transaction({ transactionId: id, eventTime: T0 + at, mcc });

describe('high-risk-mcc-spree', () => {
  it('fires on the 3rd high-risk transaction within 10 min', () => {
    const run = expectRule(rule).given([spend('a', 0, '7995'), spend('groceries', MIN, '5411'), spend('b', 2 * MIN, '6051'), spend('c', 9 * MIN, '4829')]).toHit('c');
    expect(run.hitOn('c').explanation).toBe('3 transactions in high-risk categories (MCC 7995, 6051, 4829) within 9m');
  });

  it('keeps firing while the spree goes on', () => {
    expectRule(rule).given([spend('a', 0, '5967'), spend('b', MIN, '7801'), spend('c', 2 * MIN, '7995'), spend('d', 3 * MIN, '7995')]).toHit('c', 'd');
  });

  it('does not fire on 2 high-risk transactions', () => {
    expectRule(rule).given([spend('a', 0, '7995'), spend('b', MIN, '7995'), spend('c', 2 * MIN, '5411')]).toNotHit();
  });

  it('does not fire when the 3rd comes 10 min after the 1st', () => {
    expectRule(rule).given([spend('a', 0, '7995'), spend('b', MIN, '7995'), spend('c', 10 * MIN, '7995')]).toNotHit();
  });
});
