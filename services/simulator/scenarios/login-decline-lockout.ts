// login-decline-lockout (per account): LOGIN_SUCCESS, then a DECLINED payment, then a LOCKOUT, all
// within 10 minutes; the lockout raises the alert.
import type { AuthStatus } from '../../../schemas/types';
import { MINUTE, SECOND, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'login-decline-lockout';

function loginDeclineLockout(s: ScenarioScript, paymentStatus: AuthStatus, lockoutAtMs: number): void {
  s.auth(0, 'LOGIN_SUCCESS');
  s.pay(2 * MINUTE, { amountMinor: s.random.int(5_000, 30_000), mcc: '5999', authStatus: paymentStatus });
  // The bank locks the account after a few failed attempts (far fewer than failed-logins needs).
  for (let i = 3; i >= 1; i--) s.auth(lockoutAtMs - i * 10 * SECOND, 'LOGIN_FAILURE');
  s.complete(s.auth(lockoutAtMs, 'LOCKOUT'));
}

export const LOGIN_DECLINE_LOCKOUT: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 6 * MINUTE, (s) => loginDeclineLockout(s, 'DECLINED', 6 * MINUTE)),
  scenarioKind(RULE, 'lockout-after-11-minutes', false, 11 * MINUTE, (s) => loginDeclineLockout(s, 'DECLINED', 11 * MINUTE)),
  scenarioKind(RULE, 'payment-approved', false, 6 * MINUTE, (s) => loginDeclineLockout(s, 'APPROVED', 6 * MINUTE)),
];
