import { expectRule } from '../../cep/rules';
import { authEvent, transaction } from '../../cep/testing';
import { rule } from './failed-logins';

const T0 = 1_700_000_000_000;
const failures = (count: number, spacingMs: number, from = 0) =>
  Array.from({ length: count }, (_, i) => authEvent({ eventId: `f-${from + i + 1}`, type: 'LOGIN_FAILURE', eventTime: T0 + (from + i) * spacingMs }));

describe('failed-logins', () => {
  it('alerts at account level on the 11th failure within 60 s', () => {
    const run = expectRule(rule).given(failures(11, 5_000)).toHit('f-11');
    const [alert] = run.outputs.map((o) => o.value);
    expect(alert).toMatchObject({ accountId: 'acct-1', transactionId: null, cardId: null, decision: 'REVIEW', score: 0.6, eventTime: T0 + 50_000 });
    expect(run.hitOn('f-11').explanation).toBe('11 failed logins in 50s');
  });

  it('alerts once per 11 failures, whatever else happens in between', () => {
    const events = [...failures(5, 2_000), transaction({ eventTime: T0 + 9_000 }), authEvent({ eventId: 'ok', eventTime: T0 + 9_500 }), ...failures(17, 2_000, 5)];
    expectRule(rule).given(events).toHit('f-11', 'f-22');
  });

  it('does not fire on 10 failures', () => {
    expectRule(rule).given(failures(10, 1_000)).toNotHit();
  });

  it('does not fire on 11 failures spread over exactly 60 s', () => {
    expectRule(rule).given(failures(11, 6_000)).toNotHit();
  });
});
