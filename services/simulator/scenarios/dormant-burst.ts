// dormant-burst (per account): a payment >= 90 days after the account's previous one, then >= 3
// more within 30 minutes; the third follow-up is flagged. The old payment is dated before the run,
// so it is published with the history, before anything else of its partition.
import { DAY, MINUTE, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'dormant-burst';
const EVERYDAY_MCCS = ['5411', '5812', '5999', '5311'];

function wakeUp(s: ScenarioScript, dormantDays: number, followUps: number): void {
  s.open({ openedAt: s.anchor - 3 * 365 * DAY, profileSince: s.anchor - 130 * DAY });
  const pay = (offsetMs: number) => s.pay(offsetMs, { amountMinor: s.random.int(2_000, 15_000), mcc: s.random.pick(EVERYDAY_MCCS) });
  pay(-dormantDays * DAY);
  pay(0);
  const followUpOffsets = [4 * MINUTE, 9 * MINUTE, 15 * MINUTE].slice(0, followUps);
  s.complete(followUpOffsets.map(pay)[followUps - 1]!);
}

export const DORMANT_BURST: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 15 * MINUTE, (s) => wakeUp(s, 120, 3)),
  scenarioKind(RULE, 'dormant-89-days', false, 15 * MINUTE, (s) => wakeUp(s, 89, 3)),
  scenarioKind(RULE, 'two-follow-ups', false, 9 * MINUTE, (s) => wakeUp(s, 120, 2)),
];
