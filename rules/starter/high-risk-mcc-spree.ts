import { Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

/** Gambling, quasi-cash, money transfer, direct-marketing inbound, lotteries: easy to cash out. */
export const HIGH_RISK_MCCS: ReadonlySet<string> = new Set(['7995', '6051', '4829', '5967', '7801']);
export const SPREE = 3;
export const WINDOW_MS = 10 * 60_000;

export const rule = defineRule({
  id: 'high-risk-mcc-spree',
  description: 'Several transactions in high-risk merchant categories within minutes',
  severity: 'MEDIUM',
  key: 'account',
  score: 0.5,
  pattern: Pattern.begin<PatternEvent>('spree').where(isTransaction((e) => HIGH_RISK_MCCS.has(e.tx.mcc))).times(SPREE).within(WINDOW_MS),
  explain: ({ match }) => {
    const spree = transactionsIn(match, 'spree');
    const mccs = spree.map((e) => e.tx.mcc).join(', ');
    return `${spree.length} transactions in high-risk categories (MCC ${mccs}) within ${formatDuration(spree[spree.length - 1]!.time - spree[0]!.time)}`;
  },
});
