// card-testing (per card): >= 3 payments of <= 200, then one of >= 50,000, all within 10 minutes.
// Fraudsters check a stolen card with tiny online payments before spending on it.
import { MINUTE, SECOND, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'card-testing';

function probesThenCharge(s: ScenarioScript, probes: number, chargeAtMs: number, chargeMinor: number): void {
  // A second card on the account must stay untouched: the rule is per card.
  const card = s.open({ cards: 2 }).cards[0]!;
  for (let i = 0; i < probes; i++) s.pay(i * 45 * SECOND, { amountMinor: s.random.int(50, 200), mcc: '5999', card });
  s.complete(s.pay(chargeAtMs, { amountMinor: chargeMinor, mcc: '5732', card }));
}

export const CARD_TESTING: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 4 * MINUTE, (s) => probesThenCharge(s, 3, 4 * MINUTE, s.random.int(50_000, 95_000))),
  scenarioKind(RULE, 'two-probes', false, 4 * MINUTE, (s) => probesThenCharge(s, 2, 4 * MINUTE, s.random.int(50_000, 95_000))),
  scenarioKind(RULE, 'charge-after-ten-minutes', false, 10 * MINUTE + SECOND, (s) =>
    probesThenCharge(s, 3, 10 * MINUTE + SECOND, s.random.int(50_000, 95_000)),
  ),
  scenarioKind(RULE, 'charge-below-50000', false, 4 * MINUTE, (s) => probesThenCharge(s, 3, 4 * MINUTE, 49_999)),
];
