import { AfterMatchSkip, Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, formatMoney, isAuth, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const WINDOW_MS = 10 * 60_000;

export const rule = defineRule({
  id: 'login-decline-lockout',
  description: 'A successful login, then a declined payment, then an account lockout',
  severity: 'HIGH',
  key: 'account',
  score: 0.6,
  // Skipping past the lockout: one alert per lockout, however many logins preceded it.
  pattern: Pattern.begin<PatternEvent>('login', AfterMatchSkip.skipPastLastEvent())
    .where(isAuth('LOGIN_SUCCESS'))
    .followedBy('decline')
    .where(isTransaction((e) => e.tx.authStatus === 'DECLINED'))
    .followedBy('lockout')
    .where(isAuth('LOCKOUT'))
    .within(WINDOW_MS),
  explain: ({ match }) => {
    const [decline] = transactionsIn(match, 'decline');
    const span = match.lockout![0]!.time - match.login![0]!.time;
    return `login, declined payment of ${formatMoney(decline!.tx.amountMinor, decline!.tx.currency)}, then lockout, within ${formatDuration(span)}`;
  },
});
