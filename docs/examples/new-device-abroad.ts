// The rule the tutorial in docs/rules.md builds. docs/rules.md shows the regions marked below, and
// test/docs.test.ts fails when the page and this file differ, so the tutorial's code always compiles
// and its tests (new-device-abroad.test.ts) always pass.
// #region rule
import { Pattern } from '../../cep/pattern';
import { defineRule, formatDuration, isAuth, isTransaction, type PatternEvent, transactionsIn } from '../../cep/rules';

export const WINDOW_MS = 15 * 60_000;

export const rule = defineRule({
  id: 'new-device-abroad',
  description: 'A login from a new device, then an online payment outside the home country within 15 minutes',
  severity: 'HIGH',
  key: 'account',
  score: 0.6,
  // followedByAny: every online payment in the window is a candidate, not only the first one.
  pattern: Pattern.begin<PatternEvent>('device')
    .where(isAuth('NEW_DEVICE'))
    .followedByAny('payment')
    .where(isTransaction((e) => e.tx.channel === 'ECOM'))
    .within(WINDOW_MS),
  // Asked when the pattern completes on a payment; the profile is the version valid at its event time.
  when: (tx) => {
    const home = tx.profile?.homeCountry;
    if (home === undefined || tx.value.country === home) return null;
    return { homeCountry: home, country: tx.value.country };
  },
  explain: ({ match, evidence }) => {
    const device = match.device![0]!;
    const [payment] = transactionsIn(match, 'payment');
    return `new device, then an online payment in ${evidence.country} (home ${evidence.homeCountry}) ${formatDuration(payment!.time - device.time)} later`;
  },
});
// #endregion rule
