import { Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, formatMoney, isCredentialChange, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const MIN_AMOUNT_MINOR = 100_000;
export const WINDOW_MS = 30 * 60_000;

export const rule = defineRule({
  id: 'account-takeover',
  description: 'A password, email or phone change, or a new device, then a high-value transaction within minutes',
  severity: 'CRITICAL',
  key: 'account',
  score: 0.8,
  // followedByAny: every large transaction in the window after the change fires, not only the first.
  pattern: Pattern.begin<PatternEvent>('change')
    .where(isCredentialChange)
    .followedByAny('payment')
    .where(isTransaction((e) => e.tx.amountMinor >= MIN_AMOUNT_MINOR))
    .within(WINDOW_MS),
  explain: ({ match }) => {
    const change = match.change![0]!;
    const [payment] = transactionsIn(match, 'payment');
    const what = change.kind === 'auth' ? change.auth.type : change.kind === 'profile' ? `profile ${change.changed.join(' and ')} change` : 'change';
    return `${what} then ${formatMoney(payment!.tx.amountMinor, payment!.tx.currency)} ${formatDuration(payment!.time - change.time)} later`;
  },
});
