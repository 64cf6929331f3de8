import { expectRule } from '../../cep/rules';
import { authEvent, transaction } from '../../cep/testing';
import { rule } from './login-decline-lockout';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const login = (at: number, eventId = 'login') => authEvent({ eventId, type: 'LOGIN_SUCCESS', eventTime: T0 + at });
const lockout = (at: number) => authEvent({ eventId: 'lockout', type: 'LOCKOUT', eventTime: T0 + at });
const declined = (at: number) => transaction({ transactionId: 'declined', authStatus: 'DECLINED', amountMinor: 25_000, eventTime: T0 + at });

describe('login-decline-lockout', () => {
  it('alerts on the lockout, naming the declined transaction', () => {
    const run = expectRule(rule).given([login(0), declined(2 * MIN), lockout(5 * MIN)]).toHit('lockout');
    const alerts = run.outputs.filter((o) => o.kind === 'alert').map((o) => o.value);
    expect(alerts).toEqual([
      expect.objectContaining({ transactionId: 'declined', cardId: 'card-1', amountMinor: 25_000, currency: 'EUR', decision: 'REVIEW', eventTime: T0 + 5 * MIN }),
    ]);
    expect(run.hitOn('lockout').explanation).toBe('login, declined payment of EUR 250.00, then lockout, within 5m');
  });

  it('alerts once when several logins precede the decline', () => {
    expectRule(rule).given([login(0, 'l1'), login(MIN, 'l2'), declined(2 * MIN), lockout(3 * MIN)]).toHit('lockout');
  });

  it('does not fire when the lockout comes 11 min after the login', () => {
    expectRule(rule).given([login(0), declined(2 * MIN), lockout(11 * MIN)]).toNotHit();
  });

  it('does not fire without a declined transaction, or out of order', () => {
    expectRule(rule).given([login(0), transaction({ eventTime: T0 + MIN }), lockout(2 * MIN)]).toNotHit();
    expectRule(rule).given([declined(0), login(MIN), lockout(2 * MIN)]).toNotHit();
  });
});
