// Friendly fraud: the customers themselves buy online as they always do, then dispute the charges
// ("not me", "never arrived"). Each purchase is drawn exactly as the baseline draws an everyday
// online payment of the account (category by local hour, amount, card, device, address), so nothing
// in the payments sets them apart: only the label knows. A detector that catches all of it has
// learnt something the data does not hold.
import { ordinaryAmount } from '../baseline';
import { CATEGORIES } from '../catalog';
import { localHour } from '../geo';
import { DAY, MINUTE, duration, integer } from './parameters';
import { behaviour } from './story';

const ONLINE_EVERYDAY = CATEGORIES.filter((c) => c.channel === 'ECOM' && !c.highRisk);

export const FRIENDLY_FRAUD = behaviour({
  name: 'friendly-fraud',
  fraud: true,
  weight: 20,
  // #region parameters
  parameters: {
    purchases: integer(1, 4),
    /** Between one disputed purchase and the next. */
    gap: duration(5 * MINUTE, 2 * DAY),
  },
  // #endregion parameters
  play(s) {
    const purchases = s.draw('purchases');
    let at = s.start;
    for (let i = 0; i < purchases; i++) {
      at = s.whenAwake(i === 0 ? at : at + s.draw('gap'));
      const hour = localHour(s.account.home, at);
      const category = s.random.weighted(ONLINE_EVERYDAY, (c) => c.weight * c.hours[hour]!);
      s.pay(at, {
        merchant: s.merchant(category.mcc),
        amountMinor: ordinaryAmount(s.random, category, s.account.profile.currency),
        deviceId: s.ownDevice(),
      });
    }
  },
});
