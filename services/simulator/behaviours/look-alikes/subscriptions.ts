// A subscription cluster: several services bill the card within minutes of each other (monthly
// renewals that fall on the same day), small amounts online, a few of them no more than a card
// tester's probe. It is the customer's own card on their own device.
import { MINUTE, SECOND, duration, integer, money } from '../parameters';
import { behaviour } from '../story';

const SUBSCRIPTION_MCCS = ['4899', '4899', '5999'] as const;

export const SUBSCRIPTIONS = behaviour({
  name: 'subscription-cluster',
  fraud: false,
  weight: 20,
  // #region parameters
  parameters: {
    charges: integer(3, 8),
    chargeAmount: money(0.99, 19.99),
    /** From the first charge to the last. */
    within: duration(10 * SECOND, 20 * MINUTE),
  },
  // #endregion parameters
  play(s) {
    const card = s.card();
    for (const at of s.times(s.start, s.draw('within'), s.draw('charges'))) {
      s.pay(at, { merchant: s.merchant(s.random.pick(SUBSCRIPTION_MCCS)), amountMinor: s.draw('chargeAmount'), card });
    }
  },
});
