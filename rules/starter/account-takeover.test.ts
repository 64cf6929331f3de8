import { expectRule } from '../../cep/rules';
import { authEvent, profile, transaction } from '../../cep/testing';
import { rule } from './account-takeover';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const payment = (id: string, at: number, amountMinor = 100_000) => transaction({ transactionId: id, eventTime: T0 + at, amountMinor });

describe('account-takeover', () => {
  it.each(['PASSWORD_CHANGE', 'EMAIL_CHANGE', 'PHONE_CHANGE', 'NEW_DEVICE'] as const)('fires on %s then 1,000.00 within 30 min', (type) => {
    const run = expectRule(rule).given([authEvent({ eventId: 'change', type, eventTime: T0 }), payment('pay', 29 * MIN)]).toHit('pay');
    expect(run.hitOn('pay').explanation).toBe(`${type} then EUR 1,000.00 29m later`);
  });

  it('fires after a profile version that changed the email fingerprint, on every large payment in the window', () => {
    const run = expectRule(rule)
      .given([profile({ updatedAt: T0 }), profile({ updatedAt: T0 + MIN, emailFingerprint: 'email-2' }), payment('small', 2 * MIN, 99_999), payment('pay', 3 * MIN), payment('pay2', 4 * MIN)])
      .toHit('pay', 'pay2');
    expect(run.hitOn('pay').stages.map((s) => s.eventIds)).toEqual([[`profile@${T0 + MIN}`], ['pay']]);
    expect(run.hitOn('pay').explanation).toBe('profile email change then EUR 1,000.00 2m later');
  });

  it('does not fire on a password change then 1,000.00 at 31 min', () => {
    expectRule(rule).given([authEvent({ type: 'PASSWORD_CHANGE', eventTime: T0 }), payment('pay', 31 * MIN)]).toNotHit();
  });

  it('does not fire on 999.99, on a login, or on a profile version that changed neither email nor phone', () => {
    expectRule(rule).given([authEvent({ type: 'PASSWORD_CHANGE', eventTime: T0 }), payment('pay', MIN, 99_999)]).toNotHit();
    expectRule(rule).given([authEvent({ type: 'LOGIN_SUCCESS', eventTime: T0 }), payment('pay', MIN)]).toNotHit();
    expectRule(rule).given([profile({ updatedAt: T0 }), profile({ updatedAt: T0 + 1, riskTier: 'HIGH' }), payment('pay', MIN)]).toNotHit();
  });

  it('does not treat an account first profile version as a change', () => {
    expectRule(rule).given([profile({ updatedAt: T0 }), payment('pay', MIN)]).toNotHit();
  });
});
