import { expectRule } from '../../cep/rules';
import { authEvent, transaction } from '../../cep/testing';
import { rule } from './dormant-burst';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const DAY = 86_400_000;
const spend = (id: string, at: number) => transaction({ transactionId: id, eventTime: T0 + at });
const wakeAfter = (days: number) => [spend('old', 0), spend('wake', days * DAY), spend('b1', days * DAY + MIN), spend('b2', days * DAY + 2 * MIN)];

describe('dormant-burst', () => {
  it('fires on the 3rd transaction after 90 days of silence, within 30 min', () => {
    const run = expectRule(rule).given([...wakeAfter(90), authEvent({ eventTime: T0 + 90 * DAY + 3 * MIN }), spend('b3', 90 * DAY + 29 * MIN), spend('b4', 90 * DAY + 30 * MIN)]).toHit('b3');
    expect(run.hitOn('b3').explanation).toBe('dormant for 90d, then 4 transactions within 29m');
  });

  it('does not fire after 89 days of silence', () => {
    expectRule(rule).given([...wakeAfter(89), spend('b3', 89 * DAY + 3 * MIN)]).toNotHit();
  });

  it('does not fire on only 2 follow-ups within 30 min', () => {
    expectRule(rule).given([...wakeAfter(100), spend('b3', 100 * DAY + 30 * MIN)]).toNotHit();
  });

  it('does not treat an account first transaction as waking up', () => {
    expectRule(rule).given([spend('first', 0), spend('b1', MIN), spend('b2', 2 * MIN), spend('b3', 3 * MIN)]).toNotHit();
  });
});
