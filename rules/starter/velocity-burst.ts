import { defineRule, formatMoney } from '../../cep/rules';

export const MIN_COUNT = 8;
export const MIN_SUM_MINOR = 500_000;

export const rule = defineRule({
  id: 'velocity-burst',
  description: 'Many transactions, or a large total, on one account within the 60 s look-back',
  severity: 'MEDIUM',
  key: 'account',
  score: 0.5,
  when: (tx) => {
    // The look-back is (t - 60 s, t] and counts the transaction being scored.
    const { count, sumMinor } = tx.features.account;
    return count >= MIN_COUNT || sumMinor >= MIN_SUM_MINOR ? { count, sumMinor } : null;
  },
  explain: ({ evidence, transaction }) =>
    `${evidence.count} transactions totalling ${formatMoney(Number(evidence.sumMinor), transaction!.currency)} in the last 60 s`,
});
