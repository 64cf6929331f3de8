// high-risk-mcc-spree (per account): >= 3 payments in MCCs 7995, 6051, 4829, 5967 or 7801 within
// 10 minutes; the third is flagged.
import { CATEGORIES } from '../catalog';
import { MINUTE, SECOND, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'high-risk-mcc-spree';
const HIGH_RISK_MCCS = CATEGORIES.filter((c) => c.highRisk).map((c) => c.mcc);

function spree(s: ScenarioScript, offsetsMs: readonly number[], highRisk: readonly boolean[]): void {
  const payments = offsetsMs.map((offset, i) =>
    s.pay(offset, { amountMinor: s.random.int(2_000, 20_000), mcc: highRisk[i] ? s.random.pick(HIGH_RISK_MCCS) : '5999' }),
  );
  s.complete(payments[payments.length - 1]!);
}

export const HIGH_RISK_MCC_SPREE: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 7 * MINUTE, (s) => spree(s, [0, 3 * MINUTE, 7 * MINUTE], [true, true, true])),
  scenarioKind(RULE, 'two-high-risk', false, 7 * MINUTE, (s) => spree(s, [0, 3 * MINUTE, 7 * MINUTE], [true, true, false])),
  scenarioKind(RULE, 'spread-over-ten-minutes', false, 10 * MINUTE + SECOND, (s) =>
    spree(s, [0, 5 * MINUTE, 10 * MINUTE + SECOND], [true, true, true]),
  ),
];
