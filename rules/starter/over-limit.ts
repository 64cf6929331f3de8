import { defineRule, formatMoney } from '../../cep/rules';

/** 1.5 as a fraction, so that the comparison stays in integers: amount * 2 >= limit * 3. */
export const LIMIT_NUMERATOR = 3;
export const LIMIT_DENOMINATOR = 2;

export const rule = defineRule({
  id: 'over-limit',
  description: "One transaction at 1.5 times the account's credit limit or more",
  severity: 'HIGH',
  key: 'account',
  score: 0.6,
  when: ({ value: tx, profile }) => {
    // An unknown account, a foreign currency or no limit at all gives no basis to compare.
    if (profile === null || profile.currency !== tx.currency || profile.creditLimitMinor <= 0) return null;
    if (tx.amountMinor * LIMIT_DENOMINATOR < profile.creditLimitMinor * LIMIT_NUMERATOR) return null;
    return { amountMinor: tx.amountMinor, creditLimitMinor: profile.creditLimitMinor, ratio: (tx.amountMinor / profile.creditLimitMinor).toFixed(2) };
  },
  explain: ({ evidence, transaction }) =>
    `${formatMoney(Number(evidence.amountMinor), transaction!.currency)} is ${evidence.ratio}x the credit limit of ` +
    `${formatMoney(Number(evidence.creditLimitMinor), transaction!.currency)}`,
});
