// velocity-burst (per account): >= 8 payments in the look-back (t - 60 s, t], or their sum >= 500,000.
import { SECOND, scenarioKind, type ScenarioKind, type ScenarioScript } from './script';

const RULE = 'velocity-burst';
/** Everyday categories, card-present ones at home, so no other rule sees anything. */
const EVERYDAY_MCCS = ['5411', '5812', '5814', '5999', '4121'];

function payAt(s: ScenarioScript, offsetsSeconds: readonly number[], amountOf: (i: number) => number, mcc?: string): void {
  const payments = offsetsSeconds.map((offset, i) =>
    s.pay(offset * SECOND, { amountMinor: amountOf(i), mcc: mcc ?? s.random.pick(EVERYDAY_MCCS) }),
  );
  s.complete(payments[payments.length - 1]!);
}

const everyday = (s: ScenarioScript) => () => s.random.int(1_500, 6_000);
const amounts = (list: readonly number[]) => (i: number) => list[i]!;

export const VELOCITY_BURST: readonly ScenarioKind[] = [
  scenarioKind(RULE, null, true, 49 * SECOND, (s) => payAt(s, [0, 7, 14, 21, 28, 35, 42, 49], everyday(s))),
  scenarioKind(RULE, 'amount', true, 40 * SECOND, (s) => payAt(s, [0, 20, 40], amounts([200_000, 170_000, 150_000]), '5732')),
  scenarioKind(RULE, 'seven-in-a-minute', false, 42 * SECOND, (s) => payAt(s, [0, 7, 14, 21, 28, 35, 42], everyday(s))),
  // The eighth lands exactly 60 s after the first, which the half-open look-back leaves out.
  scenarioKind(RULE, 'window-edge', false, 60 * SECOND, (s) => payAt(s, [0, 10, 20, 30, 40, 50, 55, 60], everyday(s))),
  scenarioKind(RULE, 'amount-below', false, 40 * SECOND, (s) => payAt(s, [0, 20, 40], amounts([200_000, 150_000, 149_999]), '5732')),
];
