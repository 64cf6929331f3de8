// over-limit (per account): one payment >= 1.5 x the credit limit of the profile version in force.
import { MINUTE, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'over-limit';

/** Limits of 100,000-300,000 keep 1.6 x the limit under velocity-burst's 500,000 sum. */
function limitedAccount(s: ScenarioScript): number {
  return s.open({ creditLimitMinor: s.random.int(10, 30) * 10_000 }).profile.creditLimitMinor;
}

export const OVER_LIMIT: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 0, (s) => {
    const limit = limitedAccount(s);
    s.complete(s.pay(0, { amountMinor: (limit * 16) / 10, mcc: '5732' }));
  }),
  scenarioKind(RULE, '1.4x-limit', false, 0, (s) => {
    const limit = limitedAccount(s);
    s.complete(s.pay(0, { amountMinor: (limit * 14) / 10, mcc: '5732' }));
  }),
  // 1.6 x the old limit, but the limit was doubled ten minutes before: the join must use the new one.
  scenarioKind(RULE, 'limit-raised-before', false, 10 * MINUTE, (s) => {
    const limit = limitedAccount(s);
    s.changeProfile(0, { creditLimitMinor: limit * 2 });
    s.complete(s.pay(10 * MINUTE, { amountMinor: (limit * 16) / 10, mcc: '5732' }));
  }),
];
